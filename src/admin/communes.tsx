import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { ETAPE_LABELS, CAMPAGNE_STATUS_LABELS } from "../campagnes/rules.ts";
import { actorOf } from "../comptes/access.ts";
import { createLoginCode, latestLoginCode } from "../comptes/repository.ts";
import { generateLoginCode, LOGIN_CODE_TTL_MINUTES, loginCodeState } from "../comptes/rules.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import { CsrfField } from "../comptes/views/components.tsx";
import type { AppContext } from "../context.ts";
import { DOSSIER_STATUS_LABELS, STATUT_GLOBAL_LABELS, type StatutGlobal } from "../dossier/rules.ts";
import { StatutGlobalBadge } from "../examen/views/commune-entete.tsx";
import { audit } from "../platform/audit.ts";
import { BadRequestError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { Pagination, Table } from "../ui/components.tsx";
import {
  ADMIN_PAGE_SIZE,
  filtrerCommunes,
  findCommuneAdmin,
  listCampagnesCommune,
  listCodesDepartements,
  listCommentairesCommune,
  listConservateursDuDepartement,
  listDossiersCommune,
  listObjetsAdminCommune,
  type AdminCommuneDetail,
  type FiltresCommunes,
} from "./repository.ts";
import { ObjetsCommuneAdmin } from "./views/commune-objets.tsx";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;
const CODE_INSEE = /^[0-9][0-9AB][0-9]{3}$/;
const pageSchema = z.coerce.number().int().min(1).max(100_000).default(1);
const paramsCommune = z.object({ code_insee: z.string().regex(CODE_INSEE) });
const confirmation = z.object({ confirmer: z.literal("oui", { message: "Confirmez l’action (confirmer=oui)." }) }).passthrough();

const filtresSchema = z.object({
  nom: z.string().trim().max(100).default(""),
  insee: z
    .string()
    .trim()
    .toUpperCase()
    .max(5)
    .refine((v) => v === "" || CODE_INSEE.test(v), "Code INSEE invalide : 5 caractères, par exemple 01053 ou 2A004.")
    .default(""),
  email: z.string().trim().max(200).default(""),
  departement: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([0-9]{2,3}|2A|2B)?$/, "Département invalide.")
    .default(""),
  statut: z
    .enum(["", "0", "1", "2", "3", "4", "5"])
    .default("")
    .transform((v) => (v === "" ? undefined : Number(v))),
  page: pageSchema,
});

export const dateFr = (d: Date | string | null): string =>
  d ? new Date(d).toLocaleDateString("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" }) : "";
const heureFr = (d: Date): string => d.toLocaleTimeString("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });

function queryString(f: FiltresCommunes): string {
  const params = new URLSearchParams();
  if (f.nom) params.set("nom", f.nom);
  if (f.insee) params.set("insee", f.insee);
  if (f.email) params.set("email", f.email);
  if (f.departement) params.set("departement", f.departement);
  if (f.statut !== undefined) params.set("statut", String(f.statut));
  const s = params.toString();
  return s ? `${s}&` : "";
}

type CodeAffiche = { code: string; expiresAt: Date; nouveau: boolean };

export async function adminCommunesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/admin/communes", { config: adminRule }, async (request, reply) => {
    const query = parseInput(filtresSchema, request.query);
    const filtres: FiltresCommunes = {
      nom: query.nom,
      insee: query.insee,
      email: query.email,
      departement: query.departement,
      statut: query.statut,
    };
    const [rows, departements] = await Promise.all([filtrerCommunes(db, filtres, query.page), listCodesDepartements(db)]);
    const csrfToken = reply.generateCsrf();
    const filtre = Object.values(filtres).some((v) => v !== "" && v !== undefined);
    return sendAdminPage(
      request,
      reply,
      { title: "Communes", section: "communes", breadcrumbs: [{ label: "Communes" }] },
      <>
        <h1>Communes</h1>
        <form method="get" action="/admin/communes" class="fr-mb-3w">
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">Filtrer les communes</legend>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
              <div class="fr-input-group">
                <label class="fr-label" for="f-nom">
                  Nom contient<span class="fr-hint-text">Sans tenir compte des accents ni des majuscules</span>
                </label>
                <input class="fr-input" type="search" id="f-nom" name="nom" value={query.nom} />
              </div>
            </div>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
              <div class="fr-input-group">
                <label class="fr-label" for="f-insee">
                  Code INSEE<span class="fr-hint-text">Exactement, par exemple 01053</span>
                </label>
                <input class="fr-input" type="text" id="f-insee" name="insee" value={query.insee} inputMode="text" maxLength={5} />
              </div>
            </div>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
              <div class="fr-input-group">
                <label class="fr-label" for="f-email">
                  Email de l’usager contient
                </label>
                <input class="fr-input" type="search" id="f-email" name="email" value={query.email} />
              </div>
            </div>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-3">
              <div class="fr-select-group">
                <label class="fr-label" for="f-departement">
                  Département
                </label>
                <select class="fr-select" id="f-departement" name="departement">
                  <option value="">Tous</option>
                  {departements.map((d) => (
                    <option key={d.code} value={d.code} selected={d.code === query.departement}>
                      {d.code} - {d.nom}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-3">
              <div class="fr-select-group">
                <label class="fr-label" for="f-statut">
                  Statut
                </label>
                <select class="fr-select" id="f-statut" name="statut">
                  <option value="">Tous</option>
                  {([0, 1, 2, 3, 4, 5] as StatutGlobal[]).map((s) => (
                    <option key={s} value={String(s)} selected={s === query.statut}>
                      {STATUT_GLOBAL_LABELS[s]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div class="fr-fieldset__element">
              <ul class="fr-btns-group fr-btns-group--inline-md">
                <li>
                  <button class="fr-btn" type="submit">
                    Filtrer
                  </button>
                </li>
                {filtre ? (
                  <li>
                    <a class="fr-btn fr-btn--tertiary" href="/admin/communes">
                      Réinitialiser les filtres
                    </a>
                  </li>
                ) : null}
              </ul>
            </div>
          </fieldset>
        </form>
        {rows.length === 0 ? (
          <p>Aucune commune ne correspond à ces filtres.</p>
        ) : (
          <Table>
            <table>
              <caption>
                Communes{filtre ? " correspondant aux filtres" : ""}, page {query.page}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Département</th>
                  <th scope="col">Code INSEE</th>
                  <th scope="col">Nom</th>
                  <th scope="col">Objets</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Dossier envoyé le</th>
                  <th scope="col">Usager</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, ADMIN_PAGE_SIZE).map((c) => (
                  <tr key={c.code_insee}>
                    <td>{c.departement_code}</td>
                    <td>{c.code_insee}</td>
                    <td>
                      <a href={`/admin/communes/${c.code_insee}`}>{c.nom}</a>
                    </td>
                    <td>{c.objets_count}</td>
                    <td>
                      <StatutGlobalBadge statut={c.statut_global as StatutGlobal} small />
                    </td>
                    <td>{dateFr(c.submitted_at)}</td>
                    <td>{c.email ?? "Aucun usager"}</td>
                    <td>
                      <a class="fr-link fr-link--sm" href={`/admin/communes/${c.code_insee}/messagerie`}>
                        Messagerie<span class="fr-sr-only"> de {c.nom}</span>
                      </a>
                      {c.email ? (
                        <form method="post" action={`/admin/communes/${c.code_insee}/incarner`}>
                          <CsrfField token={csrfToken} />
                          <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
                            Incarner<span class="fr-sr-only"> la commune de {c.nom}</span>
                          </button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        )}
        <Pagination base={`/admin/communes?${queryString(filtres)}`} page={query.page} hasNext={rows.length > ADMIN_PAGE_SIZE} />
      </>,
    );
  });

  async function commune(request: FastifyRequest): Promise<AdminCommuneDetail> {
    const { code_insee } = parseInput(paramsCommune, request.params);
    const found = await findCommuneAdmin(db, code_insee);
    if (!found) throw new NotFoundError();
    return found;
  }

  async function renderCommune(
    request: FastifyRequest,
    reply: FastifyReply,
    c: AdminCommuneDetail,
    extra: { code?: CodeAffiche; erreurCommentaire?: string; statusCode?: number } = {},
  ): Promise<FastifyReply> {
    const [dossiers, campagnes, commentaires, objets, conservateurs] = await Promise.all([
      listDossiersCommune(db, c.id),
      listCampagnesCommune(db, c.id),
      listCommentairesCommune(db, c.id),
      listObjetsAdminCommune(db, c),
      listConservateursDuDepartement(db, c.departement_code),
    ]);
    const courant = dossiers.find((d) => d.status !== "archived");
    const archives = dossiers.filter((d) => d.status === "archived");
    const csrfToken = reply.generateCsrf();
    const base = `/admin/communes/${c.code_insee}`;
    return sendAdminPage(
      request,
      reply,
      {
        title: `${c.nom} (${c.code_insee})`,
        section: "communes",
        breadcrumbs: [{ href: "/admin/communes", label: "Communes" }, { label: `${c.nom} (${c.code_insee})` }],
        ...(extra.statusCode ? { statusCode: extra.statusCode } : {}),
      },
      <>
        <h1>
          {c.nom} ({c.code_insee})
        </h1>
        <StatutGlobalBadge statut={c.statut_global as StatutGlobal} />
        <ul class="fr-mt-2w">
          <li>
            Département {c.departement_code}
            {c.departement_nom ? ` - ${c.departement_nom}` : ""}, {c.objets_count} objet{c.objets_count > 1 ? "s" : ""} protégé
            {c.objets_count > 1 ? "s" : ""}
          </li>
          <li>
            {c.email ? (
              <>
                Usager : {c.email}
                {c.last_sign_in_at ? `, dernière connexion le ${dateFr(c.last_sign_in_at)}` : ", jamais connecté"}
              </>
            ) : (
              <>Aucun usager : la commune n’a généralement pas d’email valide sur service-public.fr.</>
            )}
          </li>
          {c.started_at ? (
            <li>
              Recensement démarré le {dateFr(c.started_at)}
              {c.completed_at ? ` et terminé le ${dateFr(c.completed_at)}` : ""}
            </li>
          ) : null}
        </ul>

        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          {c.email ? (
            <li>
              <form method="post" action={`${base}/incarner`}>
                <CsrfField token={csrfToken} />
                <button type="submit" class="fr-btn fr-btn--secondary">
                  Incarner la commune
                </button>
              </form>
            </li>
          ) : null}
          {conservateurs.map((k) => (
            <li key={k.id}>
              <form method="post" action={`/admin/conservateurs/${k.id}/incarner`}>
                <CsrfField token={csrfToken} />
                <button type="submit" class="fr-btn fr-btn--tertiary">
                  Incarner {k.nom}
                  <span class="fr-sr-only"> (conservateur du département)</span>
                </button>
              </form>
            </li>
          ))}
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${base}/messagerie`}>
              Messagerie ({c.messages} message{c.messages > 1 ? "s" : ""})
            </a>
          </li>
        </ul>

        <h2>Code de connexion</h2>
        {!c.email ? (
          <p>Pas de code possible : la commune n’a pas d’usager.</p>
        ) : extra.code ? (
          <div class="fr-callout" id="code-de-connexion">
            <p class="fr-callout__title">Code de connexion : {extra.code.code}</p>
            <p class="fr-callout__text">
              {extra.code.nouveau ? "Nouveau code créé, sans envoi d’email" : "Code en cours de validité"} ; valable jusqu’à{" "}
              {heureFr(extra.code.expiresAt)} (les codes durent {LOGIN_CODE_TTL_MINUTES} minutes). À dicter à {c.email}, qui le saisit sur
              la page de connexion des communes. Cet affichage est inscrit au journal.
            </p>
          </div>
        ) : (
          <form method="post" action={`${base}/code-de-connexion`}>
            <CsrfField token={csrfToken} />
            <input type="hidden" name="confirmer" value="oui" />
            <p class="fr-hint-text">
              Pour l’assistance par téléphone : affiche le code en cours ou en crée un sans envoyer d’email. L’affichage est inscrit au
              journal.
            </p>
            <button type="submit" class="fr-btn fr-btn--tertiary">
              Afficher le code de connexion
            </button>
          </form>
        )}

        <h2>Dossier en cours</h2>
        {courant ? (
          <ul>
            <li>
              <a href={`/admin/dossiers/${courant.id}`}>Dossier n° {courant.id}</a> : {DOSSIER_STATUS_LABELS[courant.status]}
            </li>
            <li>Créé le {dateFr(courant.created_at)}</li>
            {courant.submitted_at ? <li>Envoyé le {dateFr(courant.submitted_at)}</li> : null}
            {courant.accepted_at ? (
              <li>
                Examen envoyé le {dateFr(courant.accepted_at)}
                {courant.conservateur ? ` par ${courant.conservateur}` : ""}
              </li>
            ) : null}
            <li>
              {courant.recensements} recensement{courant.recensements > 1 ? "s" : ""}
            </li>
          </ul>
        ) : (
          <p>Aucun dossier en cours.</p>
        )}

        {archives.length > 0 ? (
          <Table>
            <table>
              <caption>Dossiers archivés</caption>
              <thead>
                <tr>
                  <th scope="col">Dossier</th>
                  <th scope="col">Créé le</th>
                  <th scope="col">Envoyé le</th>
                  <th scope="col">Examiné le</th>
                  <th scope="col">Archivé le</th>
                  <th scope="col">Recensements</th>
                </tr>
              </thead>
              <tbody>
                {archives.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <a href={`/admin/dossiers/${d.id}`}>n° {d.id}</a>
                    </td>
                    <td>{dateFr(d.created_at)}</td>
                    <td>{dateFr(d.submitted_at)}</td>
                    <td>{dateFr(d.accepted_at)}</td>
                    <td>{dateFr(d.archived_at)}</td>
                    <td>{d.recensements}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        ) : null}

        <h2>Objets protégés</h2>
        <ObjetsCommuneAdmin objets={objets} communeNom={c.nom} />

        <h2>Campagnes</h2>
        {campagnes.length === 0 ? (
          <p>La commune n’a été destinataire d’aucune campagne.</p>
        ) : (
          <Table>
            <table>
              <caption>Campagnes dont la commune est destinataire</caption>
              <thead>
                <tr>
                  <th scope="col">Campagne</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Dates</th>
                  <th scope="col">Dernier email reçu</th>
                  <th scope="col">Désinscription</th>
                </tr>
              </thead>
              <tbody>
                {campagnes.map((k) => (
                  <tr key={k.id}>
                    <td>n° {k.id}</td>
                    <td>{CAMPAGNE_STATUS_LABELS[k.status]}</td>
                    <td>
                      du {dateFr(k.date_lancement)} au {dateFr(k.date_fin)}
                    </td>
                    <td>{k.current_step ? ETAPE_LABELS[k.current_step] : "Aucun"}</td>
                    <td>{k.opt_out ? `Oui${k.opt_out_reason === "postponed" ? " (reporte son recensement)" : ""}` : "Non"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        )}

        <h2>Commentaires de l’équipe</h2>
        <form method="post" action={`${base}/commentaires`} class="fr-mb-3w">
          <CsrfField token={csrfToken} />
          <div class={`fr-input-group${extra.erreurCommentaire ? " fr-input-group--error" : ""}`}>
            <label class="fr-label" for="commentaire">
              Nouveau commentaire<span class="fr-hint-text">Visible des seuls administrateurs</span>
            </label>
            <textarea
              class={`fr-input${extra.erreurCommentaire ? " fr-input--error" : ""}`}
              id="commentaire"
              name="body"
              rows={3}
              maxLength={5000}
              {...(extra.erreurCommentaire ? { "aria-describedby": "commentaire-erreur" } : {})}
            />
            {extra.erreurCommentaire ? (
              <p class="fr-error-text" id="commentaire-erreur">
                {extra.erreurCommentaire}
              </p>
            ) : null}
          </div>
          <button type="submit" class="fr-btn">
            Ajouter le commentaire
          </button>
        </form>
        {commentaires.length === 0 ? <p>Aucun commentaire.</p> : null}
        {commentaires.map((k) => (
          <div class="fr-card fr-card--no-arrow fr-mb-2w" key={k.id}>
            <div class="fr-card__body">
              <div class="fr-card__content">
                <p class="fr-card__detail">
                  {k.auteur ?? "Administrateur"}, le {dateFr(k.created_at)} à {heureFr(k.created_at)}
                </p>
                <p class="fr-card__desc co-texte-libre">{k.body}</p>
                <form method="post" action={`${base}/commentaires/${k.id}/supprimer`}>
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="confirmer" value="oui" />
                  <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                    Supprimer<span class="fr-sr-only"> le commentaire du {dateFr(k.created_at)}</span>
                  </button>
                </form>
              </div>
            </div>
          </div>
        ))}
      </>,
    );
  }

  app.get("/admin/communes/:code_insee", { config: adminRule }, async (request, reply) =>
    renderCommune(request, reply, await commune(request)),
  );

  app.post("/admin/communes/:code_insee/code-de-connexion", { config: adminRule }, async (request, reply) => {
    const c = await commune(request);
    parseInput(confirmation, request.body, "Confirmez l’affichage du code de connexion.");
    if (!c.user_id) throw new BadRequestError("Cette commune n’a pas d’usager : pas de code de connexion possible.");
    const userId = c.user_id;
    const code = await db.transaction().execute(async (trx) => {
      const now = new Date();
      const latest = await latestLoginCode(trx, userId);
      let shown: CodeAffiche;
      if (latest && loginCodeState(latest, now) === "valid") shown = { code: latest.code, expiresAt: latest.expiresAt, nouveau: false };
      else {
        const created = await createLoginCode(trx, userId, generateLoginCode(), new Date(now.getTime() + LOGIN_CODE_TTL_MINUTES * 60_000));
        shown = { code: created.code, expiresAt: created.expiresAt, nouveau: true };
      }
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "admin.login_code_shown",
        subject: { type: "commune_user", id: userId },
        communeId: c.id,
        after: { nouveau: shown.nouveau },
        ip: request.ip,
      });
      return shown;
    });
    reply.header("cache-control", "no-store");
    return renderCommune(request, reply, c, { code });
  });

  app.post("/admin/communes/:code_insee/commentaires", { config: adminRule }, async (request, reply) => {
    const c = await commune(request);
    const body = z
      .object({ body: z.string().default("") })
      .passthrough()
      .safeParse(request.body ?? {});
    const text = body.success ? body.data.body.trim() : "";
    if (!text || text.length > 5000) {
      return renderCommune(request, reply, c, {
        statusCode: 400,
        erreurCommentaire: text ? "Le commentaire dépasse 5 000 caractères." : "Écrivez le commentaire avant de l’ajouter.",
      });
    }
    const identity = request.identity;
    if (identity.kind !== "admin") throw new BadRequestError("Réservé aux administrateurs.");
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("admin_comments")
        .values({ commune_id: c.id, admin_id: identity.id, body: text })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actor: actorOf(identity),
        action: "admin.comment_created",
        subject: { type: "admin_comment", id: row.id },
        communeId: c.id,
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, `/admin/communes/${c.code_insee}`, { type: "success", message: "Commentaire ajouté." });
  });

  app.post("/admin/communes/:code_insee/commentaires/:comment_id/supprimer", { config: adminRule }, async (request, reply) => {
    const c = await commune(request);
    const { comment_id } = parseInput(
      z.object({ comment_id: z.coerce.number().int().positive().max(2_147_483_647) }).passthrough(),
      request.params,
    );
    parseInput(confirmation, request.body, "Confirmez la suppression du commentaire.");
    const deleted = await db.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom("admin_comments")
        .where("id", "=", comment_id)
        .where("commune_id", "=", c.id)
        .returning(["id", "body", "admin_id"])
        .executeTakeFirst();
      if (!row) return false;
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "admin.comment_deleted",
        subject: { type: "admin_comment", id: row.id },
        communeId: c.id,
        before: { body: row.body, admin_id: row.admin_id },
        ip: request.ip,
      });
      return true;
    });
    if (!deleted) throw new NotFoundError();
    return redirectWithFlash(request, reply, `/admin/communes/${c.code_insee}`, { type: "success", message: "Commentaire supprimé." });
  });
}
