import type { FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { sendHtml } from "../platform/http/render.ts";
import { cspNonce, requestPath } from "../platform/http/server.ts";
import {
  Layout,
  type AccountHeader,
  type HeaderSearch,
  type ImpersonationBanner,
  type LayoutProps,
  type NavItem,
  type Notice,
} from "./layout.tsx";

export type PageOptions = Omit<LayoutProps, "nonce" | "currentPath" | "children"> & { statusCode?: number };

/** What the session adds to every page: read-once flash messages, account links, main navigation, impersonation banner. */
export type PageChrome = {
  notices: Notice[];
  account?: AccountHeader;
  nav?: NavItem[];
  impersonation?: ImpersonationBanner;
  search?: HeaderSearch;
};

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the accounts area for routes with an access rule; consumes the flash messages. */
    pageChrome?: () => PageChrome;
  }
}

/** Renders a full DSFR page for this request (nonce and current path filled in). */
export function sendPage(request: FastifyRequest, reply: FastifyReply, options: PageOptions, body: ComponentChildren): FastifyReply {
  const { statusCode, ...layout } = options;
  const chrome = request.pageChrome?.();
  return sendHtml(
    reply,
    <Layout
      {...layout}
      notices={[...(chrome?.notices ?? []), ...(layout.notices ?? [])]}
      account={layout.account ?? chrome?.account}
      nav={layout.nav ?? chrome?.nav}
      impersonation={layout.impersonation ?? chrome?.impersonation}
      search={layout.search ?? chrome?.search}
      nonce={cspNonce(reply)}
      currentPath={requestPath(request)}
    >
      {body}
    </Layout>,
    statusCode,
  );
}
