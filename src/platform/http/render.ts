import type { FastifyReply } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

/** Preact escapes every interpolated value: no HTML is ever built by string concatenation. */
export function renderDocument(vnode: VNode): string {
  return `<!DOCTYPE html>${renderToString(vnode)}`;
}

export function sendHtml(reply: FastifyReply, vnode: VNode, statusCode = 200): FastifyReply {
  return reply.status(statusCode).type("text/html; charset=utf-8").send(renderDocument(vnode));
}
