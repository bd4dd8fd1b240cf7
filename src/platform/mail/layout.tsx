import { renderToString } from "preact-render-to-string";

export type MailBlock =
  | { kind: "paragraph"; text: string }
  | { kind: "button"; label: string; url: string }
  | { kind: "code"; code: string; caption?: string }
  | { kind: "list"; items: string[] };

export type MailContent = {
  title: string;
  /** Short summary shown by mail clients next to the subject. */
  preheader?: string;
  blocks: MailBlock[];
  signature?: string[];
  /** Small print: why this mail was received, unsubscribe, contact. */
  footer?: string[];
};

const BLUE_FRANCE = "#000091";
const FONT = "Marianne, Arial, Helvetica, sans-serif";

/**
 * Mails are rendered from one structured content into HTML (responsive, table-based, inline styles as
 * mail clients require) and plain text, so both parts always say the same thing.
 */
export function renderMail(content: MailContent): { html: string; text: string } {
  const html = `<!DOCTYPE html>${renderToString(<MailHtml {...content} />)}`;
  return { html, text: renderMailText(content) };
}

export function renderMailText(content: MailContent): string {
  const lines: string[] = [content.title, "=".repeat(Math.min(content.title.length, 70)), ""];
  for (const block of content.blocks) {
    switch (block.kind) {
      case "paragraph":
        lines.push(block.text, "");
        break;
      case "button":
        lines.push(`${block.label} : ${block.url}`, "");
        break;
      case "code":
        lines.push(`    ${block.code}`, ...(block.caption ? [block.caption] : []), "");
        break;
      case "list":
        lines.push(...block.items.map((item) => `- ${item}`), "");
        break;
    }
  }
  if (content.signature) lines.push(...content.signature, "");
  if (content.footer) lines.push("--", ...content.footer);
  return `${lines.join("\n").trimEnd()}\n`;
}

function MailHtml(content: MailContent) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{content.title}</title>
      </head>
      <body style={`margin:0;padding:0;background:#f6f6f6;font-family:${FONT};color:#161616;`}>
        {content.preheader ? <div style="display:none;max-height:0;overflow:hidden;opacity:0;">{content.preheader}</div> : null}
        <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="background:#f6f6f6;">
          <tr>
            <td align="center" style="padding:24px 12px;">
              <table
                role="presentation"
                width="100%"
                cellPadding="0"
                cellSpacing="0"
                style="max-width:600px;background:#ffffff;border-top:4px solid #000091;"
              >
                <tr>
                  <td style="padding:24px 24px 8px 24px;">
                    <p style="margin:0;font-weight:700;font-size:14px;line-height:18px;text-transform:uppercase;">
                      République
                      <br />
                      Française
                    </p>
                    <p style={`margin:12px 0 0 0;font-size:18px;font-weight:700;color:${BLUE_FRANCE};`}>Collectif Objets</p>
                  </td>
                </tr>
                <tr>
                  <td style="padding:8px 24px 24px 24px;font-size:16px;line-height:24px;">
                    <h1 style="font-size:22px;line-height:28px;margin:16px 0;">{content.title}</h1>
                    {content.blocks.map((block, index) => (
                      <MailBlockHtml block={block} key={index} />
                    ))}
                    {content.signature ? (
                      <p style="margin:24px 0 0 0;">
                        {content.signature.map((line, index) => (
                          <>
                            {index > 0 ? <br /> : null}
                            {line}
                          </>
                        ))}
                      </p>
                    ) : null}
                  </td>
                </tr>
                {content.footer ? (
                  <tr>
                    <td style="padding:16px 24px;border-top:1px solid #dddddd;font-size:12px;line-height:18px;color:#666666;">
                      {content.footer.map((line, index) => (
                        <p style="margin:0 0 6px 0;" key={index}>
                          {line}
                        </p>
                      ))}
                    </td>
                  </tr>
                ) : null}
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

function MailBlockHtml({ block }: { block: MailBlock }) {
  switch (block.kind) {
    case "paragraph":
      return <p style="margin:0 0 16px 0;">{block.text}</p>;
    case "button":
      return (
        <table role="presentation" cellPadding="0" cellSpacing="0" style="margin:8px 0 24px 0;">
          <tr>
            <td style={`background:${BLUE_FRANCE};`}>
              <a
                href={block.url}
                style={`display:inline-block;padding:12px 20px;color:#ffffff;text-decoration:none;font-weight:500;font-family:${FONT};`}
              >
                {block.label}
              </a>
            </td>
          </tr>
        </table>
      );
    case "code":
      return (
        <div style="margin:8px 0 24px 0;">
          <p style={`margin:0;font-size:32px;letter-spacing:8px;font-weight:700;color:${BLUE_FRANCE};`}>{block.code}</p>
          {block.caption ? <p style="margin:8px 0 0 0;font-size:14px;color:#666666;">{block.caption}</p> : null}
        </div>
      );
    case "list":
      return (
        <ul style="margin:0 0 16px 0;padding-left:20px;">
          {block.items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      );
  }
}
