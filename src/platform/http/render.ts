import type { FastifyReply } from "fastify";
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/** Preact escapes every interpolated value: no HTML is ever built by string concatenation. */
export function renderDocument(vnode: VNode): string {
  return `<!DOCTYPE html>${renderToString(vnode)}`;
}

export function sendHtml(reply: FastifyReply, vnode: VNode, statusCode = 200): FastifyReply {
  return reply.status(statusCode).type("text/html; charset=utf-8").send(renderDocument(vnode));
}

/**
 * Markup rendered once and kept (figures cached for a minute, the same for every reader): injected as is,
 * so a page reuses it instead of rendering hundreds of chart and table nodes on every request. Only for
 * markup this application rendered itself with `renderFragment`, never for outside text.
 */
export type FragmentRendu = { readonly html: string };

export function renderFragment(vnode: VNode): FragmentRendu {
  return { html: renderToString(vnode) };
}

export function FragmentPreRendu({ rendu }: { rendu: FragmentRendu }) {
  return h("div", { dangerouslySetInnerHTML: { __html: rendu.html } });
}
