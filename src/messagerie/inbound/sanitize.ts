import sanitizeHtml from "sanitize-html";

/**
 * The HTML of a reply received by mail, reduced to a safe subset before it is stored (RB §7.5 rendered it as
 * is ⚠). Kept: text structure (paragraphs, lists, quotes, code, simple tables) and links to http(s)/mailto,
 * which always get `rel="nofollow noopener noreferrer"`. Dropped: scripts, styles, frames, forms, every
 * attribute but href/title (so no event handler, no CSS, no class). Images are replaced by their alt text in
 * brackets: a remote image in a mail is mostly a tracking pixel, and the CSP would block it anyway.
 * Headings become bold text so that a mail cannot break the outline of the thread page. Idempotent.
 */
const LIEN_REL = "nofollow noopener noreferrer";

/** Tags whose content is not text a reader should see: dropped with their content. */
export const BALISES_SANS_TEXTE = [
  "script",
  "style",
  "textarea",
  "option",
  "noscript",
  "title",
  "head",
  "template",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "object",
  "select",
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "div",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "a",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], "*": ["title"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: BALISES_SANS_TEXTE,
  transformTags: {
    h1: "strong",
    h2: "strong",
    h3: "strong",
    h4: "strong",
    h5: "strong",
    h6: "strong",
    a: (tagName, attribs) => {
      const kept: Record<string, string> = {};
      if (attribs.href !== undefined) kept.href = attribs.href;
      if (attribs.title !== undefined) kept.title = attribs.title;
      kept.rel = LIEN_REL;
      return { tagName, attribs: kept };
    },
    img: (_tagName, attribs) => {
      const alt = (attribs.alt ?? "").replace(/\s+/g, " ").trim();
      return { tagName: "span", attribs: {}, text: `[${alt || "image"}]` };
    },
  },
};

export function sanitiserHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}
