import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { actorOf, conservateurOf } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import { CsrfField } from "../comptes/views/components.tsx";
import type { AppContext } from "../context.ts";
import { departementDuParametre, idParam } from "../departements/access.ts";
import { EnteteDepartement, findEnteteDepartement } from "../departements/entete.tsx";
import { BadRequestError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { departementDeLAlerteDansLUrl } from "./access.ts";
import { envoyerAlertes, listAlertes, traiterAlerte, type RapportAlertes } from "./repository.ts";
import { lireListeAlertes, MESSAGES_ALERTES } from "./rules.ts";
import { PageAlertes } from "./views/liste.tsx";

const MES_DEPARTEMENTS = { href: "/conservateurs/departements", label: "Mes départements" };

/** Alerts on objets reported disparus or en péril (issue 10): the département's list and "traitée". */
export async function alertesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get<{ Params: { code: string } }>(
    "/conservateurs/departements/:code/alertes",
    { config: { access: { kind: "conservateur_departement", departement: departementDuParametre(db, "code") } } },
    async (request, reply) => {
      const code = request.params.code;
      const { vue, page } = lireListeAlertes(request.query);
      const [entete, liste] = await Promise.all([findEnteteDepartement(db, code), listAlertes(db, code, vue, page)]);
      if (!entete) throw new NotFoundError();
      return sendPage(
        request,
        reply,
        {
          title: `Alertes ${vue === "traitees" ? "traitées" : "ouvertes"}${page > 1 ? ` (page ${page})` : ""} — ${entete.code} - ${entete.nom}`,
          breadcrumbs: [
            MES_DEPARTEMENTS,
            { href: `/conservateurs/departements/${code}`, label: `${entete.code} - ${entete.nom}` },
            { label: "Alertes" },
          ],
        },
        <>
          <EnteteDepartement entete={entete} onglet="alertes" />
          <PageAlertes code={code} vue={vue} page={page} liste={liste} csrfToken={reply.generateCsrf()} />
        </>,
      );
    },
  );

  app.post<{ Params: { code: string; alerte_id: string } }>(
    "/conservateurs/departements/:code/alertes/:alerte_id/traiter",
    { config: { access: { kind: "conservateur_departement", departement: departementDeLAlerteDansLUrl(db) } } },
    async (request, reply) => {
      const identity = conservateurOf(request);
      const alerteId = idParam(request.params.alerte_id);
      if (alerteId === null) throw new NotFoundError();
      const body = parseInput(z.object({ confirmer: z.string().optional() }).passthrough(), request.body ?? {});
      if (body.confirmer !== "oui") throw new BadRequestError(MESSAGES_ALERTES.confirmationManquante);
      await traiterAlerte(db, {
        alerteId,
        departementCode: request.params.code,
        conservateurId: identity.id,
        actor: actorOf(identity),
        ip: request.ip,
      });
      return redirectWithFlash(request, reply, `/conservateurs/departements/${request.params.code}/alertes`, {
        type: "success",
        message: "L’alerte est marquée comme traitée : elle est maintenant dans la liste « Traitées ».",
      });
    },
  );

  if (ctx.config.env !== "production") await devAlertesRoutes(app, ctx);
}

const devAccess = { access: { kind: "dev" } } as const;

/**
 * Sends the alert mails now, without waiting for the job's next run nor the quiet period (development and
 * browser tests only: never registered in production).
 */
async function devAlertesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const titre = "Mails d’alerte (développement)";
  app.get("/dev/alertes", { config: devAccess }, async (request, reply) =>
    sendPage(request, reply, { title: titre }, <FormulaireDev csrfToken={reply.generateCsrf()} />),
  );
  app.post("/dev/alertes", { config: devAccess }, async (request, reply) => {
    const body = parseInput(z.object({ envoyer: z.string().optional() }).passthrough(), request.body ?? {});
    if (body.envoyer !== "oui") throw new BadRequestError("Utilisez le bouton « Envoyer les alertes maintenant ».");
    const rapport = await envoyerAlertes(ctx.database.db, ctx.config, new Date(), { delaiMinutes: 0 });
    return sendPage(request, reply, { title: titre }, <FormulaireDev csrfToken={reply.generateCsrf()} rapport={rapport} />);
  });
}

function FormulaireDev(props: { csrfToken: string; rapport?: RapportAlertes }) {
  return (
    <>
      <h1>Mails d’alerte (développement)</h1>
      <p>
        Exécute tout de suite la tâche des mails d’alerte (au plus un mail par commune et par jour), sans attendre son prochain passage.
      </p>
      {props.rapport ? (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <p>
            Communes alertées : {props.rapport.communes}. Mails envoyés : {props.rapport.mails}.
          </p>
        </div>
      ) : null}
      <form method="post" action="/dev/alertes">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="envoyer" value="oui" />
        <button class="fr-btn" type="submit">
          Envoyer les alertes maintenant
        </button>
      </form>
    </>
  );
}
