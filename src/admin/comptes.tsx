import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf } from "../comptes/access.ts";
import { forgetAgent, requestPasswordLink } from "../comptes/agent-login.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import { Alert, CsrfField, InputGroup } from "../comptes/views/components.tsx";
import type { AppContext } from "../context.ts";
import { audit } from "../platform/audit.ts";
import { ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import { Pagination, Table } from "../ui/components.tsx";
import { dateFr } from "./communes.tsx";
import { ADMIN_PAGE_SIZE, listCodesDepartements } from "./repository.ts";
import {
  emailConservateurPris,
  filtrerConservateurs,
  findConservateurAdmin,
  listAdmins,
  setDepartementsConservateur,
  type ConservateurAdminRow,
  type ConservateurSaisie,
} from "./repository-comptes.ts";
import { sendAdminPage } from "./views/page.tsx";

const adminRule = { access: { kind: "admin" } } as const;
const pageSchema = z.coerce.number().int().min(1).max(100_000).default(1);
const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
const confirmation = z.object({ confirmer: z.literal("oui") }).passthrough();

type Erreurs = Partial<Record<"email" | "first_name" | "last_name" | "phone_number" | "departements", string>>;
type Saisie = { email: string; first_name: string; last_name: string; phone_number: string; departements: string[] };

const texte = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

/** Reads the conservateur form; every error in French, by field. */
function lireSaisie(body: unknown, codesValides: Set<string>): { saisie: Saisie; erreurs: Erreurs } {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const brut = b.departements;
  const departements = (Array.isArray(brut) ? brut : brut === undefined ? [] : [brut]).map(texte).filter(Boolean);
  const saisie: Saisie = {
    email: texte(b.email),
    first_name: texte(b.first_name),
    last_name: texte(b.last_name),
    phone_number: texte(b.phone_number),
    departements: [...new Set(departements)].sort(),
  };
  const erreurs: Erreurs = {};
  if (!saisie.email) erreurs.email = "Saisissez l’adresse email.";
  else if (saisie.email.length > 200 || !z.email().safeParse(saisie.email).success)
    erreurs.email = "Adresse email invalide : elle doit ressembler à prenom.nom@culture.gouv.fr.";
  if (!saisie.first_name) erreurs.first_name = "Saisissez le prénom.";
  else if (saisie.first_name.length > 100) erreurs.first_name = "Le prénom dépasse 100 caractères.";
  if (!saisie.last_name) erreurs.last_name = "Saisissez le nom.";
  else if (saisie.last_name.length > 100) erreurs.last_name = "Le nom dépasse 100 caractères.";
  if (saisie.phone_number && !/^[0-9 +().-]{6,30}$/.test(saisie.phone_number))
    erreurs.phone_number = "Numéro de téléphone invalide : chiffres, espaces et + seulement, par exemple 02 97 00 00 00.";
  if (saisie.departements.length === 0) erreurs.departements = "Cochez au moins un département.";
  else if (saisie.departements.some((c) => !codesValides.has(c))) erreurs.departements = "Département inconnu.";
  return { saisie, erreurs };
}

function versLigne(s: Saisie): ConservateurSaisie {
  return {
    email: s.email,
    first_name: s.first_name,
    last_name: s.last_name,
    phone_number: s.phone_number || null,
    departements: s.departements,
  };
}

export async function adminComptesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  async function codesDepartements() {
    const deps = await listCodesDepartements(db);
    return { deps, codes: new Set(deps.map((d) => d.code)) };
  }

  // ——— Conservateurs ———

  app.get("/admin/conservateurs", { config: adminRule }, async (request, reply) => {
    const query = parseInput(
      z.object({
        nom: z.string().trim().max(100).default(""),
        departement: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^([0-9]{2,3}|2A|2B)?$/)
          .default(""),
        page: pageSchema,
      }),
      request.query,
      "Filtres invalides.",
    );
    const [rows, deps] = await Promise.all([filtrerConservateurs(db, query, query.page), listCodesDepartements(db)]);
    const csrfToken = reply.generateCsrf();
    const qs = new URLSearchParams({
      ...(query.nom ? { nom: query.nom } : {}),
      ...(query.departement ? { departement: query.departement } : {}),
    }).toString();
    return sendAdminPage(
      request,
      reply,
      { title: "Conservateurs", section: "conservateurs" },
      <>
        <h1>Conservateurs</h1>
        <a class="fr-btn fr-mb-3w" href="/admin/conservateurs/nouveau">
          Créer un compte conservateur
        </a>
        <form method="get" action="/admin/conservateurs" class="fr-mb-3w">
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">Filtrer les comptes</legend>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
              <div class="fr-input-group">
                <label class="fr-label" for="f-nom">
                  Nom, prénom ou email contient
                </label>
                <input class="fr-input" type="search" id="f-nom" name="nom" value={query.nom} />
              </div>
            </div>
            <div class="fr-fieldset__element fr-col-12 fr-col-md-6">
              <div class="fr-select-group">
                <label class="fr-label" for="f-departement">
                  Département
                </label>
                <select class="fr-select" id="f-departement" name="departement">
                  <option value="">Tous</option>
                  {deps.map((d) => (
                    <option key={d.code} value={d.code} selected={d.code === query.departement}>
                      {d.code} - {d.nom}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div class="fr-fieldset__element">
              <button class="fr-btn fr-btn--secondary" type="submit">
                Filtrer
              </button>
            </div>
          </fieldset>
        </form>
        {rows.length === 0 ? (
          <p>Aucun compte ne correspond à ces filtres.</p>
        ) : (
          <Table>
            <table>
              <caption>Comptes conservateurs et conservatrices, page {query.page}</caption>
              <thead>
                <tr>
                  <th scope="col">Nom</th>
                  <th scope="col">Email</th>
                  <th scope="col">Départements</th>
                  <th scope="col">Téléphone</th>
                  <th scope="col">État</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, ADMIN_PAGE_SIZE).map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.first_name} {c.last_name}
                    </td>
                    <td>{c.email}</td>
                    <td>{c.departement_codes.join(", ")}</td>
                    <td>{c.phone_number ?? ""}</td>
                    <td>
                      {c.deactivated_at ? (
                        <p class="fr-badge fr-badge--sm fr-badge--error">Désactivé</p>
                      ) : c.last_sign_in_at ? (
                        <p class="fr-badge fr-badge--sm fr-badge--success">Actif</p>
                      ) : (
                        <p class="fr-badge fr-badge--sm fr-badge--info">Jamais connecté</p>
                      )}
                    </td>
                    <td>
                      <a class="fr-link fr-link--sm" href={`/admin/conservateurs/${c.id}/modifier`}>
                        Modifier
                        <span class="fr-sr-only">
                          {" "}
                          {c.first_name} {c.last_name}
                        </span>
                      </a>
                      {c.deactivated_at ? null : (
                        <form method="post" action={`/admin/conservateurs/${c.id}/incarner`}>
                          <CsrfField token={csrfToken} />
                          <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
                            Incarner
                            <span class="fr-sr-only">
                              {" "}
                              {c.first_name} {c.last_name}
                            </span>
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        )}
        <Pagination base={`/admin/conservateurs?${qs ? `${qs}&` : ""}`} page={query.page} hasNext={rows.length > ADMIN_PAGE_SIZE} />
      </>,
    );
  });

  async function formulaire(
    request: FastifyRequest,
    reply: FastifyReply,
    opts: { conservateur?: ConservateurAdminRow; saisie: Saisie; erreurs: Erreurs; statusCode?: number },
  ): Promise<FastifyReply> {
    const { deps } = await codesDepartements();
    const c = opts.conservateur;
    const titre = c ? `Modifier ${c.first_name} ${c.last_name}`.trim() : "Nouveau compte conservateur";
    const action = c ? `/admin/conservateurs/${c.id}/modifier` : "/admin/conservateurs/nouveau";
    const csrfToken = reply.generateCsrf();
    const { saisie, erreurs } = opts;
    const nbErreurs = Object.keys(erreurs).length;
    return sendAdminPage(
      request,
      reply,
      {
        title: titre,
        section: "conservateurs",
        breadcrumbs: [{ href: "/admin/conservateurs", label: "Conservateurs" }, { label: titre }],
        ...(opts.statusCode ? { statusCode: opts.statusCode } : {}),
      },
      <>
        <h1>{titre}</h1>
        {nbErreurs > 0 ? (
          <Alert type="error" title="Le compte n’est pas enregistré">
            <p>Corrigez {nbErreurs > 1 ? `les ${nbErreurs} champs signalés` : "le champ signalé"}.</p>
          </Alert>
        ) : null}
        {c?.deactivated_at ? (
          <Alert type="warning">
            <p>Ce compte est désactivé depuis le {dateFr(c.deactivated_at)} : la personne ne peut plus se connecter.</p>
          </Alert>
        ) : null}
        <form method="post" action={action}>
          <CsrfField token={csrfToken} />
          <InputGroup
            id="email"
            name="email"
            label="Email (obligatoire)"
            hint="Adresse professionnelle. Pour une autre personne, créez un nouveau compte plutôt que de changer l’email."
            type="email"
            value={saisie.email}
            error={erreurs.email}
            autocomplete="off"
            maxLength={200}
          />
          <InputGroup
            id="first_name"
            name="first_name"
            label="Prénom (obligatoire)"
            value={saisie.first_name}
            error={erreurs.first_name}
            maxLength={100}
          />
          <InputGroup
            id="last_name"
            name="last_name"
            label="Nom (obligatoire)"
            value={saisie.last_name}
            error={erreurs.last_name}
            maxLength={100}
          />
          <InputGroup
            id="phone_number"
            name="phone_number"
            label="Téléphone"
            hint="Facultatif"
            type="tel"
            value={saisie.phone_number}
            error={erreurs.phone_number}
            maxLength={30}
          />
          <fieldset
            class={`fr-fieldset${erreurs.departements ? " fr-fieldset--error" : ""}`}
            id="departements"
            aria-labelledby={`departements-legend${erreurs.departements ? " departements-erreur" : ""}`}
          >
            <legend class="fr-fieldset__legend" id="departements-legend">
              Départements (au moins un)
            </legend>
            {deps.map((d) => (
              <div class="fr-fieldset__element fr-fieldset__element--inline fr-col-12 fr-col-md-4" key={d.code}>
                <div class="fr-checkbox-group fr-checkbox-group--sm">
                  <input
                    type="checkbox"
                    id={`dep-${d.code}`}
                    name="departements"
                    value={d.code}
                    checked={saisie.departements.includes(d.code)}
                  />
                  <label class="fr-label" for={`dep-${d.code}`}>
                    {d.code} - {d.nom}
                  </label>
                </div>
              </div>
            ))}
            {erreurs.departements ? (
              <div class="fr-messages-group" id="departements-erreur" aria-live="assertive">
                <p class="fr-message fr-message--error">{erreurs.departements}</p>
              </div>
            ) : null}
          </fieldset>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <button type="submit" class="fr-btn">
                {c ? "Enregistrer" : "Créer le compte et envoyer le lien de première connexion"}
              </button>
            </li>
            <li>
              <a class="fr-btn fr-btn--tertiary" href="/admin/conservateurs">
                Annuler
              </a>
            </li>
          </ul>
        </form>
        {c ? (
          <>
            <h2 class="fr-mt-5w">Accès du compte</h2>
            <p>{c.last_sign_in_at ? `Dernière connexion le ${dateFr(c.last_sign_in_at)}.` : "Cette personne ne s’est jamais connectée."}</p>
            <ul class="fr-btns-group fr-btns-group--inline-md">
              <li>
                <form method="post" action={`/admin/conservateurs/${c.id}/lien-mot-de-passe`}>
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="confirmer" value="oui" />
                  <button type="submit" class="fr-btn fr-btn--secondary" disabled={Boolean(c.deactivated_at)}>
                    Envoyer un lien pour définir le mot de passe
                  </button>
                </form>
              </li>
              <li>
                <form method="post" action={`/admin/conservateurs/${c.id}/${c.deactivated_at ? "reactiver" : "desactiver"}`}>
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="confirmer" value="oui" />
                  <button type="submit" class={`fr-btn ${c.deactivated_at ? "fr-btn--secondary" : "fr-btn--tertiary"}`}>
                    {c.deactivated_at ? "Réactiver le compte" : "Désactiver le compte"}
                  </button>
                </form>
              </li>
            </ul>
            {c.deactivated_at ? null : (
              <p class="fr-hint-text">
                Désactiver : la personne ne peut plus se connecter et ses sessions en cours s’arrêtent ; ses dossiers examinés restent.
              </p>
            )}
          </>
        ) : null}
      </>,
    );
  }

  const vide: Saisie = { email: "", first_name: "", last_name: "", phone_number: "", departements: [] };

  app.get("/admin/conservateurs/nouveau", { config: adminRule }, async (request, reply) =>
    formulaire(request, reply, { saisie: vide, erreurs: {} }),
  );

  app.post("/admin/conservateurs/nouveau", { config: adminRule }, async (request, reply) => {
    const { codes } = await codesDepartements();
    const { saisie, erreurs } = lireSaisie(request.body, codes);
    if (!erreurs.email && (await emailConservateurPris(db, saisie.email)))
      erreurs.email = "Un compte conservateur existe déjà avec cet email.";
    if (Object.keys(erreurs).length > 0) return formulaire(request, reply, { saisie, erreurs, statusCode: 400 });
    const ligne = versLigne(saisie);
    const id = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("conservateurs")
        .values({ email: ligne.email, first_name: ligne.first_name, last_name: ligne.last_name, phone_number: ligne.phone_number })
        .returning("id")
        .executeTakeFirstOrThrow();
      await setDepartementsConservateur(trx, row.id, ligne.departements);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "admin.conservateur_created",
        subject: { type: "conservateur", id: row.id },
        after: { ...ligne },
        ip: request.ip,
      });
      return row.id;
    });
    await requestPasswordLink(db, ctx.config, "conservateur", ligne.email, request.ip);
    return redirectWithFlash(request, reply, `/admin/conservateurs/${id}/modifier`, {
      type: "success",
      message: `Compte créé. ${ligne.email} a reçu un email pour définir son mot de passe (lien valable 6 heures).`,
    });
  });

  async function conservateur(request: FastifyRequest): Promise<ConservateurAdminRow> {
    const { id } = parseInput(z.object({ id: idSchema }), request.params);
    const found = await findConservateurAdmin(db, id);
    if (!found) throw new NotFoundError();
    return found;
  }

  app.get("/admin/conservateurs/:id/modifier", { config: adminRule }, async (request, reply) => {
    const c = await conservateur(request);
    return formulaire(request, reply, {
      conservateur: c,
      erreurs: {},
      saisie: {
        email: c.email,
        first_name: c.first_name,
        last_name: c.last_name,
        phone_number: c.phone_number ?? "",
        departements: c.departement_codes,
      },
    });
  });

  app.post("/admin/conservateurs/:id/modifier", { config: adminRule }, async (request, reply) => {
    const c = await conservateur(request);
    const { codes } = await codesDepartements();
    const { saisie, erreurs } = lireSaisie(request.body, codes);
    if (!erreurs.email && (await emailConservateurPris(db, saisie.email, c.id)))
      erreurs.email = "Un autre compte conservateur utilise déjà cet email.";
    if (Object.keys(erreurs).length > 0) return formulaire(request, reply, { conservateur: c, saisie, erreurs, statusCode: 400 });
    const ligne = versLigne(saisie);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("conservateurs")
        .set({
          email: ligne.email,
          first_name: ligne.first_name,
          last_name: ligne.last_name,
          phone_number: ligne.phone_number,
          updated_at: new Date(),
        })
        .where("id", "=", c.id)
        .execute();
      await setDepartementsConservateur(trx, c.id, ligne.departements);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "admin.conservateur_updated",
        subject: { type: "conservateur", id: c.id },
        before: {
          email: c.email,
          first_name: c.first_name,
          last_name: c.last_name,
          phone_number: c.phone_number,
          departements: c.departement_codes,
        },
        after: { ...ligne },
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, `/admin/conservateurs/${c.id}/modifier`, { type: "success", message: "Compte enregistré." });
  });

  app.post("/admin/conservateurs/:id/lien-mot-de-passe", { config: adminRule }, async (request, reply) => {
    const c = await conservateur(request);
    parseInput(confirmation, request.body, "Confirmez l’envoi du lien.");
    if (c.deactivated_at) throw new ConflictError("Ce compte est désactivé : réactivez-le avant d’envoyer un lien.");
    await requestPasswordLink(db, ctx.config, "conservateur", c.email, request.ip);
    await audit(db, {
      actor: actorOf(request.identity),
      action: "admin.password_link_sent",
      subject: { type: "conservateur", id: c.id },
      ip: request.ip,
    });
    return redirectWithFlash(request, reply, `/admin/conservateurs/${c.id}/modifier`, {
      type: "success",
      message: `${c.email} a reçu un email pour définir son mot de passe (lien valable 6 heures).`,
    });
  });

  app.post("/admin/conservateurs/:id/desactiver", { config: adminRule }, async (request, reply) => {
    const c = await conservateur(request);
    parseInput(confirmation, request.body, "Confirmez la désactivation du compte.");
    if (!c.deactivated_at) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("conservateurs").set({ deactivated_at: new Date() }).where("id", "=", c.id).execute();
        await forgetAgent(trx, "conservateur", c.id);
        await audit(trx, {
          actor: actorOf(request.identity),
          action: "admin.conservateur_deactivated",
          subject: { type: "conservateur", id: c.id },
          ip: request.ip,
        });
      });
    }
    return redirectWithFlash(request, reply, `/admin/conservateurs/${c.id}/modifier`, {
      type: "success",
      message: `Compte de ${c.first_name} ${c.last_name} désactivé : plus de connexion possible.`,
    });
  });

  app.post("/admin/conservateurs/:id/reactiver", { config: adminRule }, async (request, reply) => {
    const c = await conservateur(request);
    parseInput(confirmation, request.body, "Confirmez la réactivation du compte.");
    if (c.deactivated_at) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("conservateurs").set({ deactivated_at: null }).where("id", "=", c.id).execute();
        await audit(trx, {
          actor: actorOf(request.identity),
          action: "admin.conservateur_reactivated",
          subject: { type: "conservateur", id: c.id },
          ip: request.ip,
        });
      });
    }
    return redirectWithFlash(request, reply, `/admin/conservateurs/${c.id}/modifier`, { type: "success", message: "Compte réactivé." });
  });

  // ——— Administrateurs ———

  app.get("/admin/administrateurs", { config: adminRule }, async (request, reply) => {
    const rows = await listAdmins(db);
    const csrfToken = reply.generateCsrf();
    const moi = request.identity.kind === "admin" ? request.identity.id : null;
    return sendAdminPage(
      request,
      reply,
      { title: "Administrateurs", section: "administrateurs" },
      <>
        <h1>Administrateurs</h1>
        <a class="fr-btn fr-mb-3w" href="/admin/administrateurs/nouveau">
          Créer un compte administrateur
        </a>
        <Table>
          <table>
            <caption>Comptes de l’équipe</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Email</th>
                <th scope="col">Dernière connexion</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>
                    {a.first_name} {a.last_name}
                    {a.id === moi ? " (vous)" : ""}
                  </td>
                  <td>{a.email}</td>
                  <td>{a.last_sign_in_at ? dateFr(a.last_sign_in_at) : "Jamais"}</td>
                  <td>
                    {a.deactivated_at ? (
                      <p class="fr-badge fr-badge--sm fr-badge--error">Désactivé</p>
                    ) : (
                      <p class="fr-badge fr-badge--sm fr-badge--success">Actif</p>
                    )}
                  </td>
                  <td>
                    {a.deactivated_at || a.id === moi ? null : (
                      <form method="post" action={`/admin/administrateurs/${a.id}/desactiver`}>
                        <CsrfField token={csrfToken} />
                        <input type="hidden" name="confirmer" value="oui" />
                        <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                          Désactiver
                          <span class="fr-sr-only">
                            {" "}
                            {a.first_name} {a.last_name}
                          </span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      </>,
    );
  });

  async function formulaireAdmin(request: FastifyRequest, reply: FastifyReply, saisie: Saisie, erreurs: Erreurs, statusCode?: number) {
    const csrfToken = reply.generateCsrf();
    return sendAdminPage(
      request,
      reply,
      {
        title: "Nouveau compte administrateur",
        section: "administrateurs",
        breadcrumbs: [{ href: "/admin/administrateurs", label: "Administrateurs" }, { label: "Nouveau compte" }],
        ...(statusCode ? { statusCode } : {}),
      },
      <>
        <h1>Nouveau compte administrateur</h1>
        {Object.keys(erreurs).length > 0 ? (
          <Alert type="error" title="Le compte n’est pas enregistré">
            <p>Corrigez les champs signalés.</p>
          </Alert>
        ) : null}
        <form method="post" action="/admin/administrateurs/nouveau">
          <CsrfField token={csrfToken} />
          <InputGroup
            id="email"
            name="email"
            label="Email (obligatoire)"
            type="email"
            value={saisie.email}
            error={erreurs.email}
            maxLength={200}
          />
          <InputGroup
            id="first_name"
            name="first_name"
            label="Prénom (obligatoire)"
            value={saisie.first_name}
            error={erreurs.first_name}
            maxLength={100}
          />
          <InputGroup
            id="last_name"
            name="last_name"
            label="Nom (obligatoire)"
            value={saisie.last_name}
            error={erreurs.last_name}
            maxLength={100}
          />
          <p class="fr-hint-text">La personne reçoit un email avec un lien pour définir son mot de passe (valable 6 heures).</p>
          <button type="submit" class="fr-btn">
            Créer le compte et envoyer le lien
          </button>
        </form>
      </>,
    );
  }

  app.get("/admin/administrateurs/nouveau", { config: adminRule }, async (request, reply) => formulaireAdmin(request, reply, vide, {}));

  app.post("/admin/administrateurs/nouveau", { config: adminRule }, async (request, reply) => {
    const { saisie, erreurs } = lireSaisie(request.body, new Set());
    delete erreurs.departements;
    delete erreurs.phone_number;
    if (!erreurs.email) {
      const pris = await db
        .selectFrom("admins")
        .select("id")
        .where((eb) => eb(eb.fn("lower", ["email"]), "=", saisie.email.toLowerCase()))
        .executeTakeFirst();
      if (pris) erreurs.email = "Un compte administrateur existe déjà avec cet email.";
    }
    if (Object.keys(erreurs).length > 0) return formulaireAdmin(request, reply, saisie, erreurs, 400);
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("admins")
        .values({ email: saisie.email, first_name: saisie.first_name, last_name: saisie.last_name })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "admin.admin_created",
        subject: { type: "admin", id: row.id },
        after: { email: saisie.email, first_name: saisie.first_name, last_name: saisie.last_name },
        ip: request.ip,
      });
    });
    await requestPasswordLink(db, ctx.config, "admin", saisie.email, request.ip);
    return redirectWithFlash(request, reply, "/admin/administrateurs", {
      type: "success",
      message: `Compte créé. ${saisie.email} a reçu un email pour définir son mot de passe.`,
    });
  });

  app.post("/admin/administrateurs/:admin_id/desactiver", { config: adminRule }, async (request, reply) => {
    const { admin_id } = parseInput(z.object({ admin_id: idSchema }), request.params);
    const cible = await db
      .selectFrom("admins")
      .select(["id", "first_name", "last_name", "deactivated_at"])
      .where("id", "=", admin_id)
      .executeTakeFirst();
    if (!cible) throw new NotFoundError();
    parseInput(confirmation, request.body, "Confirmez la désactivation du compte.");
    if (request.identity.kind === "admin" && request.identity.id === cible.id)
      throw new ConflictError("Vous ne pouvez pas désactiver votre propre compte.");
    if (cible.deactivated_at) return redirectWithFlash(request, reply, "/admin/administrateurs");
    await db.transaction().execute(async (trx) => {
      // Serialises concurrent deactivations so that at least one active admin always remains.
      const actifs = await trx.selectFrom("admins").select("id").where("deactivated_at", "is", null).forUpdate().execute();
      if (actifs.length <= 1) throw new ConflictError("Impossible de désactiver le dernier administrateur actif.");
      await trx.updateTable("admins").set({ deactivated_at: new Date() }).where("id", "=", cible.id).execute();
      await forgetAgent(trx, "admin", cible.id);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "admin.admin_deactivated",
        subject: { type: "admin", id: cible.id },
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, "/admin/administrateurs", {
      type: "success",
      message: `Compte de ${cible.first_name} ${cible.last_name} désactivé.`,
    });
  });
}
