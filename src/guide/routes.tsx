import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { publicAccess } from "../platform/http/access.ts";
import { sendPage } from "../ui/page.tsx";
import { URL_GUIDE, URL_GUIDE_PDF } from "./contenus.ts";
import { genererGuidePdf } from "./pdf.ts";
import { GuidePage } from "./views.tsx";

/** The census guide for communes, as a page and a PDF (issue 10). */
export async function guideRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // The content is static: the PDF is laid out once per process, on first request.
  let pdf: Promise<Buffer> | null = null;
  const guidePdf = () => {
    pdf ??= genererGuidePdf(ctx.config.publicUrl).catch((error: unknown) => {
      pdf = null;
      throw error;
    });
    return pdf;
  };

  app.get(URL_GUIDE, { config: publicAccess }, async (request, reply) =>
    sendPage(
      request,
      reply,
      {
        title: "Guide de recensement",
        description: "Comment préparer la visite, juger l’état et la sécurité d’un objet protégé, prendre des photos utiles.",
        breadcrumbs: [{ href: "/", label: "Accueil" }, { label: "Guide de recensement" }],
      },
      <GuidePage />,
    ),
  );

  app.get(URL_GUIDE_PDF, { config: publicAccess }, async (_request, reply) => {
    const contenu = await guidePdf();
    return reply
      .header("Content-Type", "application/pdf")
      .header("Content-Length", String(contenu.length))
      .header("Content-Disposition", `inline; filename="guide-de-recensement.pdf"`)
      .header("Cache-Control", "public, max-age=86400")
      .send(contenu);
  });

  // The guide's former short address: links to it keep working.
  app.get("/pdf", { config: publicAccess }, async (_request, reply) => reply.redirect(URL_GUIDE, 301));
}
