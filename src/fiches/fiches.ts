import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Marked, type Tokens } from "marked";
import type { FicheId } from "../platform/db/schema.ts";

/**
 * The fiches conseil are markdown files shipped with the code (contenus/*.md, front-matter "titre" and "resume").
 * They are read from disk once per process rather than synced into the `fiches` table: the text changes
 * with a release, never at run time, so every web process serves the version it was deployed with, and
 * start-up needs no database write.
 */
export const FICHE_IDS = [
  "entretien_objets",
  "restauration",
  "entretien_edifices",
  "securisation",
  "depot_plainte",
] as const satisfies readonly FicheId[];

export type Fiche = {
  id: FicheId;
  titre: string;
  resume: string;
  /** HTML rendered from our own markdown: raw HTML in the source is escaped, links are restricted. */
  html: string;
  sommaire: { anchor: string; label: string }[];
};

const CONTENUS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "contenus");

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function isAllowedHref(href: string): boolean {
  return /^(https?:|mailto:|tel:)/i.test(href) || /^\/(?!\/)/.test(href) || href.startsWith("#");
}

/** French typography in text nodes only: non-breaking space before « : ; ? ! » and inside guillemets. */
export function frenchSpacing(html: string): string {
  return html.replace(/>([^<]+)</g, (_match, text: string) => `>${text.replace(/ ([:;?!»])/g, "\u00a0$1").replace(/« /g, "«\u00a0")}<`);
}

/** Renders markdown to HTML with no raw HTML passthrough, anchored h2 headings and safe links. */
export function renderMarkdown(source: string): { html: string; sommaire: Fiche["sommaire"] } {
  const sommaire: Fiche["sommaire"] = [];
  const used = new Set<string>();
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      html: ({ text }) => escapeHtml(text),
      heading(token: Tokens.Heading) {
        const inner = this.parser.parseInline(token.tokens);
        // The page title is the h1: markdown headings start at h2.
        const depth = Math.min(Math.max(token.depth, 2), 6);
        if (depth !== 2) return `<h${depth}>${inner}</h${depth}>\n`;
        let anchor = slugify(token.text) || "section";
        for (let n = 2; used.has(anchor); n += 1) anchor = `${slugify(token.text)}-${n}`;
        used.add(anchor);
        sommaire.push({ anchor, label: token.text.replace(/[*_`]/g, "") });
        return `<h2 id="${anchor}">${inner}</h2>\n`;
      },
      link(token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        if (!isAllowedHref(token.href)) return inner;
        const external = /^https?:/i.test(token.href);
        const title = external ? ` title="${escapeHtml(`${token.text} - nouvelle fenêtre`)}" target="_blank" rel="noopener"` : "";
        return `<a href="${escapeHtml(token.href)}"${title}>${inner}</a>`;
      },
      image: ({ text }) => escapeHtml(text),
    },
  });
  const html = frenchSpacing(marked.parse(source) as string);
  return { html, sommaire };
}

/** Splits the front-matter block ("key: value" lines between two "---") from the markdown body. */
export function parseFrontMatter(source: string): { data: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!match) return { data: {}, body: source };
  const data: Record<string, string> = {};
  for (const line of (match[1] ?? "").split(/\r?\n/)) {
    const separator = line.indexOf(":");
    if (separator > 0) data[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return { data, body: source.slice(match[0].length) };
}

function loadFiche(id: FicheId): Fiche {
  const { data, body } = parseFrontMatter(fs.readFileSync(path.join(CONTENUS_DIR, `${id}.md`), "utf8"));
  if (!data.titre || !data.resume) throw new Error(`Fiche ${id} : titre ou resume manquant dans l’en-tête`);
  return { id, titre: data.titre, resume: data.resume, ...renderMarkdown(body) };
}

let fiches: Fiche[] | undefined;

/** The five fiches, in the order shown on /fiches. */
export function listFiches(): Fiche[] {
  fiches ??= FICHE_IDS.map(loadFiche);
  return fiches;
}

export function findFiche(id: string): Fiche | undefined {
  return listFiches().find((fiche) => fiche.id === id);
}
