import type { AppContext } from "../../context.ts";

export type InboundSmtp = { port: number; close(): Promise<void> };

/** Starts the SMTP listener for replies when INBOUND_SMTP_PORT is set; undefined otherwise. */
export async function startInboundSmtp(_ctx: AppContext): Promise<InboundSmtp | undefined> {
  return undefined;
}
