import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { actorOf, communeOf } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import { CsrfField } from "../comptes/views/components.tsx";
import { audit } from "../platform/audit.ts";
import type { DB } from "../platform/db/schema.ts";
import type { AccessRule } from "../platform/http/access.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";
import { jourAvecSemaine } from "./mails-format.ts";

/**
 * Opt-out of a campaign's mails (RB §4.9, §4.10): by the link of every campaign mail (a page, or the
 * RFC 8058 one-click POST of mail clients), or from the commune's preferences. An opted-out recipient
 * gets no further mail from the daily sequence.
 */

export type RaisonDesinscription = "postponed" | "other";

export const RAISON_LABELS: Record<RaisonDesinscription, string> = {
  postponed: "Nous recenserons plus tard",
  other: "Autre raison",
};

const RAISONS = Object.keys(RAISON_LABELS) as RaisonDesinscription[];
/** Tokens are 60 hex characters (RB §3.5); anything else is not worth a query. */
const JETON = /^[A-Za-z0-9_-]{16,128}$/;

type Destinataire = {
  id: number;
  commune_id: number;
  opt_out: boolean;
  opt_out_reason: RaisonDesinscription | null;
  commune_nom: string;
  status: string;
  date_lancement: string;
  date_fin: string;
  dans_nom: string;
};

function destinataires(db: Kysely<DB>) {
  return db
    .selectFrom("campaign_recipients as cr")
    .innerJoin("campaigns as c", "c.id", "cr.campaign_id")
    .innerJoin("communes as co", "co.id", "cr.commune_id")
    .innerJoin("departements as d", "d.code", "c.departement_code")
    .select([
      "cr.id",
      "cr.commune_id",
      "cr.opt_out",
      "cr.opt_out_reason",
      "co.nom as commune_nom",
      "c.status",
      "c.date_lancement",
      "c.date_fin",
      "d.dans_nom",
    ])
    .where("c.status", "in", ["planned", "ongoing"]);
}

/** The recipient of a still valid link (campaign planned or ongoing), or null. */
async function destinataireDuJeton(db: Kysely<DB>, jeton: unknown): Promise<Destinataire | null> {
  if (typeof jeton !== "string" || !JETON.test(jeton)) return null;
  const row = await destinataires(db).where("cr.unsubscribe_token", "=", jeton).executeTakeFirst();
  return row ?? null;
}

/** The planned or ongoing campaign that mails this commune (the ongoing one first). */
async function destinataireDeLaCommune(db: Kysely<DB>, communeId: number): Promise<Destinataire | null> {
  const row = await destinataires(db)
    .where("cr.commune_id", "=", communeId)
    .orderBy((eb) => eb.case().when("c.status", "=", "ongoing").then(0).else(1).end())
    .orderBy("c.date_lancement")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** Opts out (only if not already), in one statement: a replayed request changes nothing. */
async function desinscrire(
  db: Kysely<DB>,
  destinataire: Destinataire,
  raison: RaisonDesinscription,
  event: { actor: ReturnType<typeof actorOf>; ip: string; via: "lien" | "un_clic" | "preferences" },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("campaign_recipients")
      .set({ opt_out: true, opt_out_reason: raison, updated_at: new Date() })
      .where("id", "=", destinataire.id)
      .where("opt_out", "=", false)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await audit(trx, {
      actor: event.actor,
      action: "campagne.desinscription",
      subject: { type: "campaign_recipient", id: destinataire.id },
      communeId: destinataire.commune_id,
      before: { opt_out: false },
      after: { opt_out: true, opt_out_reason: raison, via: event.via },
      ip: event.ip,
    });
    return true;
  });
}

function campagneDe(destinataire: Destinataire): string {
  return `${destinataire.dans_nom} du ${jourAvecSemaine(destinataire.date_lancement)} au ${jourAvecSemaine(destinataire.date_fin)}`;
}

/** RFC 8058: a mail client's one-click POST carries the link's token and `List-Unsubscribe=One-Click`. */
function estUnClic(request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.jeton === "string" && body?.["List-Unsubscribe"] === "One-Click";
}

export async function desinscriptionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const lienRule = { access: { kind: "public" } } as const satisfies { access: AccessRule };
  const unClicRule = { access: { kind: "public", csrfExempt: estUnClic } } as const satisfies { access: AccessRule };
  const communeRule = { access: { kind: "commune", param: "code_insee" } } as const satisfies { access: AccessRule };

  await app.register(async (scope) => {
    // Some mail clients send the one-click POST as multipart/form-data (RFC 8058 §3.1): only its one field matters.
    scope.addContentTypeParser("multipart/form-data", { parseAs: "string", bodyLimit: 16 * 1024 }, (_request, body, done) => {
      const unClic = /name="List-Unsubscribe"\s*\r?\n\r?\nOne-Click\b/.test(String(body));
      done(null, unClic ? { "List-Unsubscribe": "One-Click" } : {});
    });

    scope.get("/desinscription", { config: lienRule }, async (request, reply) => {
      const jeton = (request.query as Record<string, unknown>).jeton;
      const destinataire = await destinataireDuJeton(db, jeton);
      if (!destinataire) return lienInvalide(request, reply);
      if (destinataire.opt_out) return dejaDesinscrite(request, reply, destinataire);
      return sendPage(
        request,
        reply,
        { title: "Désinscription", breadcrumbs: [{ label: "Désinscription" }] },
        <PageDesinscription destinataire={destinataire} jeton={String(jeton)} csrfToken={reply.generateCsrf()} />,
      );
    });

    scope.post("/desinscription", { config: unClicRule }, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      if (estUnClic(request)) {
        const destinataire = await destinataireDuJeton(db, query.jeton);
        if (destinataire && !destinataire.opt_out) {
          await desinscrire(db, destinataire, "other", { actor: { type: "anonymous", id: null }, ip: request.ip, via: "un_clic" });
        }
        // Same answer whatever the token: mail clients only need a 2xx, and nobody learns which tokens exist.
        return reply.type("text/plain; charset=utf-8").send("Désinscription prise en compte.\n");
      }
      const body = (request.body ?? {}) as Record<string, unknown>;
      const destinataire = await destinataireDuJeton(db, body.jeton ?? query.jeton);
      if (!destinataire) return lienInvalide(request, reply);
      if (destinataire.opt_out) return dejaDesinscrite(request, reply, destinataire);
      const raison = parseInput(
        z.object({ raison: z.enum(RAISONS as [RaisonDesinscription, ...RaisonDesinscription[]]) }),
        body,
        "Choisissez la raison de votre désinscription.",
      ).raison;
      await desinscrire(db, destinataire, raison, { actor: actorOf(request.identity), ip: request.ip, via: "lien" });
      return sendPage(
        request,
        reply,
        { title: "Désinscription enregistrée", breadcrumbs: [{ label: "Désinscription" }] },
        <>
          <h1>Désinscription enregistrée</h1>
          <div class="fr-alert fr-alert--success fr-mb-4w">
            <p>
              {destinataire.commune_nom} ne recevra plus les mails de la campagne de recensement {campagneDe(destinataire)}.
            </p>
          </div>
          <p>
            Vous pourrez toujours recenser les objets de votre commune quand vous le souhaiterez, et reprendre les mails de la campagne
            depuis la page « Préférences » de votre espace.
          </p>
          <a class="fr-btn fr-btn--secondary" href="/">
            Revenir à l’accueil
          </a>
        </>,
      );
    });
  });

  app.get("/communes/:code_insee/preferences/campagne", { config: communeRule }, async (request, reply) => {
    const identity = communeOf(request);
    const destinataire = await destinataireDeLaCommune(db, identity.communeId);
    return sendPage(
      request,
      reply,
      {
        title: "Mails de la campagne de recensement",
        breadcrumbs: [
          { href: `/communes/${identity.codeInsee}/objets`, label: identity.nom },
          { href: `/communes/${identity.codeInsee}/preferences`, label: "Préférences" },
          { label: "Mails de la campagne" },
        ],
      },
      <PreferencesCampagne commune={identity} destinataire={destinataire} csrfToken={reply.generateCsrf()} />,
    );
  });

  app.post("/communes/:code_insee/preferences/campagne", { config: communeRule }, async (request, reply) => {
    const identity = communeOf(request);
    const body = parseInput(
      z.object({ action: z.enum(["arreter", "reprendre"]), raison: z.string().optional() }),
      request.body,
      "Choisissez d’arrêter ou de reprendre les mails de la campagne.",
    );
    const destinataire = await destinataireDeLaCommune(db, identity.communeId);
    const page = `/communes/${identity.codeInsee}/preferences/campagne`;
    if (!destinataire) {
      return redirectWithFlash(request, reply, page, {
        type: "info",
        message: "Votre commune ne fait partie d’aucune campagne de recensement en cours ou à venir.",
      });
    }
    if (body.action === "arreter") {
      const raison = parseInput(
        z.enum(RAISONS as [RaisonDesinscription, ...RaisonDesinscription[]]),
        body.raison,
        "Choisissez la raison pour laquelle vous ne souhaitez plus recevoir ces mails.",
      );
      await desinscrire(db, destinataire, raison, { actor: actorOf(identity), ip: request.ip, via: "preferences" });
      return redirectWithFlash(request, reply, page, {
        type: "success",
        message: `Vous ne recevrez plus les mails de la campagne de recensement ${campagneDe(destinataire)}.`,
      });
    }
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("campaign_recipients")
        .set({ opt_out: false, opt_out_reason: null, updated_at: new Date() })
        .where("id", "=", destinataire.id)
        .where("opt_out", "=", true)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return;
      await audit(trx, {
        actor: actorOf(identity),
        action: "campagne.reinscription",
        subject: { type: "campaign_recipient", id: destinataire.id },
        communeId: destinataire.commune_id,
        before: { opt_out: true, opt_out_reason: destinataire.opt_out_reason },
        after: { opt_out: false },
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, page, {
      type: "success",
      message: `Vous recevrez à nouveau les mails de la campagne de recensement ${campagneDe(destinataire)}.`,
    });
  });
}

function lienInvalide(request: FastifyRequest, reply: FastifyReply) {
  return sendPage(
    request,
    reply,
    { title: "Lien de désinscription expiré", breadcrumbs: [{ label: "Désinscription" }], statusCode: 404 },
    <>
      <h1>Ce lien de désinscription n’est plus valide</h1>
      <p>
        Le lien a peut-être été mal copié, ou la campagne de recensement qu’il concernait est terminée : vous ne recevrez plus de mail de
        cette campagne.
      </p>
      <a class="fr-btn fr-btn--secondary" href="/">
        Revenir à l’accueil
      </a>
    </>,
  );
}

function dejaDesinscrite(request: FastifyRequest, reply: FastifyReply, destinataire: Destinataire) {
  return sendPage(
    request,
    reply,
    { title: "Déjà désinscrite", breadcrumbs: [{ label: "Désinscription" }] },
    <>
      <h1>Désinscription</h1>
      <div class="fr-alert fr-alert--info fr-mb-4w">
        <p>
          {destinataire.commune_nom} est déjà désinscrite des mails de la campagne de recensement {campagneDe(destinataire)}.
        </p>
      </div>
      <a class="fr-btn fr-btn--secondary" href="/">
        Revenir à l’accueil
      </a>
    </>,
  );
}

function ChoixRaison(props: { name: string; idPrefix: string; legende: string }) {
  return (
    <fieldset class="fr-fieldset" id={`${props.idPrefix}-fieldset`}>
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular">{props.legende}</legend>
      {RAISONS.map((raison) => (
        <div class="fr-fieldset__element" key={raison}>
          <div class="fr-radio-group">
            <input type="radio" id={`${props.idPrefix}-${raison}`} name={props.name} value={raison} checked={raison === "other"} />
            <label class="fr-label" for={`${props.idPrefix}-${raison}`}>
              {RAISON_LABELS[raison]}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

function PageDesinscription(props: { destinataire: Destinataire; jeton: string; csrfToken: string }) {
  const { destinataire } = props;
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-md-8">
        <h1>Désinscription</h1>
        <p>
          Si vous confirmez, {destinataire.commune_nom} ne recevra plus les mails de la campagne de recensement des objets protégés{" "}
          {campagneDe(destinataire)}.
        </p>
        <p>
          Vous pourrez toujours recenser les objets de votre commune depuis Collectif Objets, et reprendre les mails depuis vos préférences.
        </p>
        <form method="post" action="/desinscription">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="jeton" value={props.jeton} />
          <ChoixRaison name="raison" idPrefix="raison" legende="Pourquoi ne souhaitez-vous plus recevoir ces mails ?" />
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <button type="submit" class="fr-btn">
                Me désinscrire
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/">
                Annuler et revenir à l’accueil
              </a>
            </li>
          </ul>
        </form>
      </div>
    </div>
  );
}

function PreferencesCampagne(props: { commune: { codeInsee: string; nom: string }; destinataire: Destinataire | null; csrfToken: string }) {
  const { destinataire, commune } = props;
  const action = `/communes/${commune.codeInsee}/preferences/campagne`;
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-md-8">
        <h1>Mails de la campagne de recensement</h1>
        {!destinataire ? (
          <p>Votre commune ne fait partie d’aucune campagne de recensement en cours ou à venir : vous ne recevez aucun mail de campagne.</p>
        ) : destinataire.opt_out ? (
          <>
            <div class="fr-alert fr-alert--info fr-mb-4w">
              <p>
                Vous avez choisi de ne plus recevoir les mails de la campagne de recensement {campagneDe(destinataire)}
                {destinataire.opt_out_reason ? ` (raison : ${RAISON_LABELS[destinataire.opt_out_reason].toLowerCase()})` : ""}.
              </p>
            </div>
            <form method="post" action={action}>
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="action" value="reprendre" />
              <button type="submit" class="fr-btn">
                Recevoir à nouveau les mails de la campagne
              </button>
            </form>
          </>
        ) : (
          <>
            <p>
              {destinataire.status === "ongoing" ? "Vous recevez" : "Vous allez recevoir"} les mails de la campagne de recensement des
              objets protégés {campagneDe(destinataire)}.
            </p>
            <form method="post" action={action}>
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="action" value="arreter" />
              <ChoixRaison name="raison" idPrefix="raison" legende="Pourquoi ne souhaitez-vous plus recevoir ces mails ?" />
              <button type="submit" class="fr-btn">
                Ne plus recevoir les mails de cette campagne
              </button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
