import type { FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { sendHtml } from "../platform/http/render.ts";
import { cspNonce, requestPath } from "../platform/http/server.ts";
import { Layout, type LayoutProps } from "./layout.tsx";

export type PageOptions = Omit<LayoutProps, "nonce" | "currentPath" | "children"> & { statusCode?: number };

/** Renders a full DSFR page for this request (nonce and current path filled in). */
export function sendPage(request: FastifyRequest, reply: FastifyReply, options: PageOptions, body: ComponentChildren): FastifyReply {
  const { statusCode, ...layout } = options;
  return sendHtml(
    reply,
    <Layout {...layout} nonce={cspNonce(reply)} currentPath={requestPath(request)}>
      {body}
    </Layout>,
    statusCode,
  );
}
