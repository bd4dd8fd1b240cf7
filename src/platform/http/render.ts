import crypto from "node:crypto";
import type { FastifyReply } from "fastify";
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/** Preact escapes every interpolated value: no HTML is ever built by string concatenation. */
export function renderDocument(vnode: VNode): string {
  return `<!DOCTYPE html>${renderToString(vnode)}`;
}

/**
 * The page as UTF-8 bytes, sent as a Buffer: Fastify would otherwise measure a string's byte length and then
 * encode it again to write it. Pre-rendered fragments are spliced in as the bytes they were encoded to once.
 */
export function renderDocumentBytes(vnode: VNode): Buffer {
  const fragments: FragmentRendu[] = [];
  const html = withFragmentsCollected(fragments, () => renderDocument(vnode));
  if (fragments.length === 0) return Buffer.from(html);
  const pieces = html.split(MARQUEUR);
  const bytes: Buffer[] = [];
  pieces.forEach((piece, index) => {
    bytes.push(Buffer.from(piece));
    const fragment = fragments[index];
    if (fragment && index < pieces.length - 1) bytes.push(fragment.octets);
  });
  return Buffer.concat(bytes);
}

export function sendHtml(reply: FastifyReply, vnode: VNode, statusCode = 200): FastifyReply {
  return reply.status(statusCode).type("text/html; charset=utf-8").send(renderDocumentBytes(vnode));
}

/**
 * Markup rendered once and kept (figures cached for a few minutes, the same for every reader): injected as is,
 * so a page reuses it instead of rendering hundreds of chart and table nodes on every request. Kept as UTF-8
 * bytes only (a third of the memory of the same text as a string). Only for markup this application rendered
 * itself with `renderFragment`, never for outside text.
 */
export type FragmentRendu = { readonly octets: Buffer };

export function renderFragment(vnode: VNode): FragmentRendu {
  // A fragment rendered while a page is being rendered holds its own markup, never another page's markers.
  return { octets: Buffer.from(withFragmentsCollected(undefined, () => renderToString(vnode))) };
}

/**
 * Stands where a fragment goes while a page is rendered by renderDocumentBytes. Text from users cannot forge
 * it: Preact escapes every "<" of an interpolated value, and the random part is drawn at start-up.
 */
const MARQUEUR = `<!--co-fragment-${crypto.randomBytes(12).toString("hex")}-->`;
let fragmentsCollected: FragmentRendu[] | undefined;

/** Rendering is synchronous: the fragments met during `render` are those of this page, in document order. */
function withFragmentsCollected<T>(fragments: FragmentRendu[] | undefined, render: () => T): T {
  const outer = fragmentsCollected;
  fragmentsCollected = fragments;
  try {
    return render();
  } finally {
    fragmentsCollected = outer;
  }
}

export function FragmentPreRendu({ rendu }: { rendu: FragmentRendu }) {
  if (fragmentsCollected) {
    fragmentsCollected.push(rendu);
    return h("div", { dangerouslySetInnerHTML: { __html: MARQUEUR } });
  }
  return h("div", { dangerouslySetInnerHTML: { __html: rendu.octets.toString("utf8") } });
}
