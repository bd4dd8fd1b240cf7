import type { FastifyError, FastifyInstance } from "fastify";
import { sql } from "kysely";
import { createContext, type AppContextInput } from "./context.ts";
import { HttpError } from "./platform/http/errors.ts";
import { sendHtml } from "./platform/http/render.ts";
import { createServer, cspNonce, requestPath } from "./platform/http/server.ts";
import { adminRoutes } from "./admin/routes.tsx";
import { desinscriptionRoutes } from "./campagnes/desinscription.tsx";
import { installAccessControl } from "./comptes/access.ts";
import { comptesRoutes } from "./comptes/routes.tsx";
import { devHorlogeRoutes } from "./dev/horloge.tsx";
import { devMailRoutes } from "./dev/mails.tsx";
import { dossierRoutes } from "./dossier/routes.tsx";
import { carteRoutes } from "./departements/carte.tsx";
import { departementsRoutes } from "./departements/routes.tsx";
import { communeConservateurRoutes } from "./examen/commune.tsx";
import { envoiExamenRoutes } from "./examen/envoi.tsx";
import { examenRecensementRoutes } from "./examen/recensement.tsx";
import { visitesRoutes } from "./examen/visites.tsx";
import { rechercheRoutes } from "./recherche/routes.tsx";
import { campagneRoutes } from "./campagnes/routes.tsx";
import { publicRoutes } from "./patrimoine/routes.tsx";
import { TooManyRequestsError } from "./platform/http/rate-limit.ts";
import { recensementRoutes } from "./recensement/routes.tsx";
import { photoRoutes } from "./recensement/photos.tsx";
import { clientAssetRoutes } from "./platform/http/client-assets.ts";
import { objetsRoutes } from "./recensement/objets.tsx";
import { ErrorPage } from "./ui/error-page.tsx";
import { messagerieRoutes } from "./messagerie/routes.tsx";
import { inboundRoutes } from "./messagerie/inbound/routes.ts";
import { bordereauRoutes } from "./bordereau/routes.tsx";
import { exportsRoutes } from "./exports/routes.tsx";
import { apiRoutes } from "./exports/api/routes.ts";
import { alertesRoutes } from "./alertes/routes.tsx";
import { analyseRoutes } from "./analyse/routes.tsx";
import { guideRoutes } from "./guide/routes.tsx";

export async function buildApp(input: AppContextInput): Promise<FastifyInstance> {
  const ctx = createContext(input);
  const app = await createServer({ logLevel: ctx.config.logLevel, production: ctx.config.env === "production" });
  await installAccessControl(app, ctx);

  app.setNotFoundHandler((request, reply) => {
    sendHtml(
      reply,
      <ErrorPage
        nonce={cspNonce(reply)}
        currentPath={requestPath(request)}
        statusCode={404}
        title="Page non trouvée"
        message="La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."
      />,
      404,
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let statusCode = 500;
    let title = "Erreur inattendue";
    let message = "Désolé, le service rencontre un problème. Nous y travaillons pour le résoudre le plus rapidement possible.";
    if (error instanceof HttpError) {
      ({ statusCode, title, message } = error);
      if (error instanceof TooManyRequestsError) reply.header("retry-after", String(error.retryAfterSeconds));
    } else if (error.code === "FST_CSRF_INVALID_TOKEN" || error.code === "FST_CSRF_MISSING_SECRET") {
      statusCode = 403;
      title = "Formulaire expiré";
      message =
        "Ce formulaire a expiré ou n’a pas été envoyé depuis Collectif Objets. Revenez à la page précédente, rechargez-la puis réessayez.";
    } else if (error.validation || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      statusCode = error.statusCode ?? 400;
      title = statusCode === 413 ? "Envoi trop volumineux" : statusCode === 429 ? "Trop de tentatives" : "Demande invalide";
      message =
        statusCode === 413
          ? "Le contenu envoyé dépasse la taille autorisée."
          : statusCode === 429
            ? "Vous avez fait trop de tentatives. Patientez quelques minutes avant de réessayer."
            : "La demande est mal formée : vérifiez l’adresse ou les informations saisies.";
    }
    if (statusCode >= 500) request.log.error({ err: error }, "unhandled error");
    if (reply.sent) return;
    sendHtml(
      reply,
      <ErrorPage nonce={cspNonce(reply)} currentPath={requestPath(request)} statusCode={statusCode} title={title} message={message} />,
      statusCode,
    );
  });

  app.get("/health", { config: { access: { kind: "public" } } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.database.db);
      return reply.header("cache-control", "no-store").send({ status: "ok", database: "ok" });
    } catch (error) {
      return reply
        .status(503)
        .header("cache-control", "no-store")
        .send({ status: "error", database: "error", detail: (error as Error).message });
    }
  });

  await clientAssetRoutes(app);
  await publicRoutes(app, ctx);
  await comptesRoutes(app, ctx);
  await recensementRoutes(app, ctx);
  await photoRoutes(app, ctx);
  await dossierRoutes(app, ctx);
  await objetsRoutes(app, ctx);
  await departementsRoutes(app, ctx);
  await carteRoutes(app, ctx);
  await communeConservateurRoutes(app, ctx);
  await examenRecensementRoutes(app, ctx);
  await envoiExamenRoutes(app, ctx);
  await visitesRoutes(app, ctx);
  await rechercheRoutes(app, ctx);
  await campagneRoutes(app, ctx);
  await desinscriptionRoutes(app, ctx);
  await messagerieRoutes(app, ctx);
  await inboundRoutes(app, ctx);
  await bordereauRoutes(app, ctx);
  await exportsRoutes(app, ctx);
  await apiRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await alertesRoutes(app, ctx);
  await analyseRoutes(app, ctx);
  await guideRoutes(app, ctx);
  if (ctx.config.env !== "production" && !ctx.config.smtpUrl) await devMailRoutes(app, ctx);
  if (ctx.config.env !== "production") await devHorlogeRoutes(app, ctx);
  return app;
}
