import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, conservateurOf } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { departementDeLaCampagne, departementDuParametre, idParam } from "../departements/access.ts";
import { aujourdhuiParis } from "../departements/rules.ts";
import { audit } from "../platform/audit.ts";
import type { CampaignStep } from "../platform/db/schema.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../platform/http/errors.ts";
import { sendPage } from "../ui/page.tsx";
import { calendrierCampagnes } from "./calendrier.ts";
import { cocheeParDefaut, estSelectionnable, lireIds, nouvelleSelection } from "./destinataires.ts";
import { mailCampagne } from "./mails.ts";
import {
  autresCampagnes,
  campagneCourante,
  campagnesDuCalendrier,
  candidatsDestinataires,
  changerStatut,
  communesDuDepartementAvecObjets,
  deleteBrouillon,
  derniereCampagne,
  destinatairesDeLaCampagne,
  enregistrerDestinataires,
  findCampagne,
  findDepartement,
  findMailCampagneInput,
  insertCampagne,
  mailsParEtape,
  updateBrouillon,
  verrouillerCampagne,
  type Campagne,
  type DepartementCampagne,
  type SaisieCampagne,
} from "./repository.ts";
import { ETAPES, ajouterJours, campagneTransition, datesParDefaut, validerCampagne, type VarianteMail } from "./rules.ts";
import { PageApercu, VARIANTES } from "./views/apercu.tsx";
import { PageCampagne, campagneUrl, titreCampagne, type ErreursPlanification } from "./views/campagne.tsx";
import { PageDestinataires, type FiltresDestinataires } from "./views/destinataires.tsx";
import { FormulaireCampagne, ResumeErreurs, type ErreursFormulaire } from "./views/formulaire.tsx";

const MES_DEPARTEMENTS = { href: "/conservateurs/departements", label: "Mes départements" };
export const MAX_LIGNES_SIGNATURE = 8;
export const MAX_MESSAGE = 2000;

/** The Monday at least 7 days after `jour`: the default launch of a new campaign. */
export function lancementParDefaut(jour: string): string {
  let lundi = ajouterJours(jour, 7);
  while (new Date(`${lundi}T12:00:00Z`).getUTCDay() !== 1) lundi = ajouterJours(lundi, 1);
  return lundi;
}

function texte(body: Record<string, unknown>, champ: string): string | null {
  const value = body[champ];
  if (typeof value !== "string") return null;
  const trimmed = value.replace(/\r\n?/g, "\n").trim();
  return trimmed === "" ? null : trimmed;
}

export function lireSaisie(body: unknown): SaisieCampagne {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const date = (champ: string) => texte(b, champ) ?? "";
  return {
    sender_name: texte(b, "sender_name"),
    nom_drac: texte(b, "nom_drac"),
    signature: texte(b, "signature"),
    custom_message: texte(b, "custom_message"),
    date_lancement: date("date_lancement"),
    date_relance1: date("date_relance1"),
    date_relance2: date("date_relance2"),
    date_relance3: date("date_relance3"),
    date_fin: date("date_fin"),
  };
}

/** validerCampagne plus the form's own limits (signature lines, message length, field lengths). */
export function validerSaisie(saisie: SaisieCampagne, aujourdhui: string): ErreursFormulaire {
  const erreurs: ErreursFormulaire = { ...validerCampagne(saisie, "draft", aujourdhui) };
  if (saisie.sender_name && saisie.sender_name.length > 100)
    erreurs.sender_name = "Le nom de l’émetteur ne doit pas dépasser 100 caractères.";
  if (saisie.nom_drac && saisie.nom_drac.length > 100) erreurs.nom_drac = "Le nom de la DRAC ne doit pas dépasser 100 caractères.";
  if (saisie.signature && saisie.signature.split("\n").length > MAX_LIGNES_SIGNATURE)
    erreurs.signature = `La signature ne doit pas dépasser ${MAX_LIGNES_SIGNATURE} lignes.`;
  else if (saisie.signature && saisie.signature.length > 1000) erreurs.signature = "La signature ne doit pas dépasser 1 000 caractères.";
  if (saisie.custom_message && saisie.custom_message.length > MAX_MESSAGE)
    erreurs.custom_message = `Le message ne doit pas dépasser ${MAX_MESSAGE.toLocaleString("fr-FR")} caractères.`;
  return erreurs;
}

function confirme(body: unknown): boolean {
  return Boolean(body && typeof body === "object" && (body as Record<string, unknown>).confirmer === "oui");
}

function lireFiltres(query: unknown): FiltresDestinataires {
  const q = (query && typeof query === "object" ? query : {}) as Record<string, unknown>;
  const statut = typeof q.statut === "string" && /^[0-5]$/.test(q.statut) ? Number(q.statut) : null;
  return {
    statut,
    jamais: q.jamais === "1",
    derniere: q.derniere === "1",
    tout: q.tout === "oui" || q.tout === "non" ? q.tout : null,
  };
}

function breadcrumbs(departement: DepartementCampagne, campagne?: Campagne, page?: string) {
  const items: { href?: string; label: string }[] = [
    MES_DEPARTEMENTS,
    { href: `/conservateurs/departements/${departement.code}`, label: `${departement.code} - ${departement.nom}` },
  ];
  if (campagne) items.push({ href: campagneUrl(campagne.id), label: titreCampagne(campagne, departement) });
  if (page) items.push({ label: page });
  return items;
}

/** Conservateur's campaign pages (RB §5.15) and the campaign calendar. */
export async function campagneRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const duDepartement = { access: { kind: "conservateur_departement" as const, departement: departementDuParametre(db, "code") } };
  const deLaCampagne = { access: { kind: "conservateur_departement" as const, departement: departementDeLaCampagne(db, "campaign_id") } };

  async function chargerCampagne(request: FastifyRequest): Promise<{ campagne: Campagne; departement: DepartementCampagne }> {
    const id = idParam((request.params as Record<string, string | undefined>).campaign_id);
    const campagne = id === null ? undefined : await findCampagne(db, id);
    if (!campagne) throw new NotFoundError();
    const departement = await findDepartement(db, campagne.departement_code);
    if (!departement) throw new NotFoundError();
    return { campagne, departement };
  }

  function exigerBrouillon(campagne: Campagne, message: string): void {
    if (campagne.status !== "draft") throw new ConflictError(message);
  }

  async function pageCampagne(
    request: FastifyRequest,
    reply: FastifyReply,
    campagne: Campagne,
    departement: DepartementCampagne,
    erreurs?: ErreursPlanification,
  ) {
    const [destinataires, mails, communesAvecObjets] = await Promise.all([
      destinatairesDeLaCampagne(db, campagne.id),
      mailsParEtape(db, campagne.id),
      communesDuDepartementAvecObjets(db, departement.code),
    ]);
    const titre = titreCampagne(campagne, departement);
    return sendPage(
      request,
      reply,
      {
        title: erreurs ? `Erreur : ${titre}` : titre,
        breadcrumbs: breadcrumbs(departement, undefined, titre),
        statusCode: erreurs ? 400 : 200,
      },
      <PageCampagne
        campagne={campagne}
        departement={departement}
        destinataires={destinataires}
        mails={mails}
        communesAvecObjets={communesAvecObjets}
        aujourdhui={aujourdhuiParis()}
        csrfToken={reply.generateCsrf()}
        {...(erreurs ? { erreurs } : {})}
      />,
    );
  }

  function pageFormulaire(
    request: FastifyRequest,
    reply: FastifyReply,
    input: {
      departement: DepartementCampagne;
      campagne?: Campagne;
      saisie: SaisieCampagne;
      erreurs: ErreursFormulaire;
      action: string;
      annuler: string;
    },
  ) {
    const enErreur = Object.keys(input.erreurs).length > 0;
    const titre = input.campagne
      ? `Modifier la ${titreCampagne(input.campagne, input.departement).replace(/^Campagne/, "campagne")}`
      : `Nouvelle campagne ${input.departement.code} - ${input.departement.nom}`;
    return sendPage(
      request,
      reply,
      {
        title: enErreur ? `Erreur : ${titre}` : titre,
        breadcrumbs: breadcrumbs(input.departement, input.campagne, input.campagne ? "Modifier" : "Nouvelle campagne"),
        statusCode: enErreur ? 400 : 200,
      },
      <>
        <h1>{titre}</h1>
        <ResumeErreurs erreurs={input.erreurs} />
        <FormulaireCampagne
          action={input.action}
          csrfToken={reply.generateCsrf()}
          saisie={input.saisie}
          erreurs={input.erreurs}
          bouton={input.campagne ? "Enregistrer les modifications" : "Créer la campagne"}
          annuler={input.annuler}
        />
      </>,
    );
  }

  // ——— Creation ———

  app.get("/conservateurs/departements/:code/campagnes/nouvelle", { config: duDepartement }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const departement = await findDepartement(db, code);
    if (!departement) throw new NotFoundError();
    const conservateur = conservateurOf(request);
    const derniere = await derniereCampagne(db, code);
    const saisie: SaisieCampagne = {
      sender_name: derniere?.sender_name ?? conservateur.displayName,
      nom_drac: derniere?.nom_drac ?? departement.region,
      signature:
        derniere?.signature ??
        `${conservateur.displayName}\n\nconservateur en charge des monuments historiques\nDRAC ${departement.region}`,
      custom_message: null,
      ...datesParDefaut(lancementParDefaut(aujourdhuiParis())),
    };
    return pageFormulaire(request, reply, {
      departement,
      saisie,
      erreurs: {},
      action: `/conservateurs/departements/${code}/campagnes/nouvelle`,
      annuler: `/conservateurs/departements/${code}`,
    });
  });

  app.post("/conservateurs/departements/:code/campagnes/nouvelle", { config: duDepartement }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const departement = await findDepartement(db, code);
    if (!departement) throw new NotFoundError();
    const saisie = lireSaisie(request.body);
    const erreurs = validerSaisie(saisie, aujourdhuiParis());
    if (Object.keys(erreurs).length > 0) {
      return pageFormulaire(request, reply, {
        departement,
        saisie,
        erreurs,
        action: `/conservateurs/departements/${code}/campagnes/nouvelle`,
        annuler: `/conservateurs/departements/${code}`,
      });
    }
    const id = await db.transaction().execute(async (trx) => {
      const id = await insertCampagne(trx, code, saisie);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "campagne.create",
        subject: { type: "campaign", id },
        after: { ...saisie },
        ip: request.ip,
      });
      return id;
    });
    return redirectWithFlash(request, reply, `${campagneUrl(id)}/destinataires`, {
      type: "success",
      message: "La campagne a été créée. Choisissez maintenant les communes destinataires.",
    });
  });

  /** The campaign the département header speaks of (ongoing, else planned, else draft), or the creation form. */
  app.get("/conservateurs/departements/:code/campagnes/courante", { config: duDepartement }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const courante = await campagneCourante(db, code);
    return reply.redirect(courante ? campagneUrl(courante) : `/conservateurs/departements/${code}/campagnes/nouvelle`, 303);
  });

  // ——— Campaign page ———

  app.get("/conservateurs/campagnes/:campaign_id", { config: deLaCampagne }, async (request, reply) => {
    const { campagne, departement } = await chargerCampagne(request);
    return pageCampagne(request, reply, campagne, departement);
  });

  // ——— Edition, deletion ———

  const REFUS_MODIFICATION = "Cette campagne n’est plus en brouillon : sa configuration et ses dates ne peuvent plus être modifiées.";

  app.get("/conservateurs/campagnes/:campaign_id/modifier", { config: deLaCampagne }, async (request, reply) => {
    const { campagne, departement } = await chargerCampagne(request);
    exigerBrouillon(campagne, REFUS_MODIFICATION);
    const url = campagneUrl(campagne.id);
    return pageFormulaire(request, reply, {
      departement,
      campagne,
      saisie: campagne,
      erreurs: {},
      action: `${url}/modifier`,
      annuler: url,
    });
  });

  app.post("/conservateurs/campagnes/:campaign_id/modifier", { config: deLaCampagne }, async (request, reply) => {
    const { campagne, departement } = await chargerCampagne(request);
    exigerBrouillon(campagne, REFUS_MODIFICATION);
    const url = campagneUrl(campagne.id);
    const saisie = lireSaisie(request.body);
    const erreurs = validerSaisie(saisie, aujourdhuiParis());
    if (Object.keys(erreurs).length > 0) {
      return pageFormulaire(request, reply, { departement, campagne, saisie, erreurs, action: `${url}/modifier`, annuler: url });
    }
    await db.transaction().execute(async (trx) => {
      if (!(await updateBrouillon(trx, campagne.id, saisie))) throw new ConflictError(REFUS_MODIFICATION);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "campagne.update",
        subject: { type: "campaign", id: campagne.id },
        before: Object.fromEntries(Object.keys(saisie).map((k) => [k, campagne[k as keyof SaisieCampagne]])),
        after: { ...saisie },
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, url, { type: "success", message: "La campagne a été modifiée." });
  });

  app.post("/conservateurs/campagnes/:campaign_id/supprimer", { config: deLaCampagne }, async (request, reply) => {
    const { campagne } = await chargerCampagne(request);
    exigerBrouillon(campagne, "Seul un brouillon de campagne peut être supprimé.");
    if (!confirme(request.body)) throw new BadRequestError("Cochez la case de confirmation pour supprimer le brouillon de campagne.");
    await db.transaction().execute(async (trx) => {
      if (!(await deleteBrouillon(trx, campagne.id))) throw new ConflictError("Seul un brouillon de campagne peut être supprimé.");
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "campagne.delete",
        subject: { type: "campaign", id: campagne.id },
        before: { departement_code: campagne.departement_code, date_lancement: campagne.date_lancement },
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, `/conservateurs/departements/${campagne.departement_code}`, {
      type: "success",
      message: "Le brouillon de campagne a été supprimé",
    });
  });

  // ——— Recipients ———

  const REFUS_DESTINATAIRES = "Impossible de modifier les communes destinataires de cette campagne car elle n’est plus en brouillon.";

  app.get("/conservateurs/campagnes/:campaign_id/destinataires", { config: deLaCampagne }, async (request, reply) => {
    const { campagne, departement } = await chargerCampagne(request);
    exigerBrouillon(campagne, REFUS_DESTINATAIRES);
    const filtres = lireFiltres(request.query);
    const candidats = await candidatsDestinataires(db, campagne);
    const affiches = candidats.filter(
      (c) =>
        (filtres.statut === null || c.statut_global === filtres.statut) &&
        (!filtres.jamais || c.jamaisContactee) &&
        (!filtres.derniere || c.derniereCampagne),
    );
    const aucunDestinataire = !candidats.some((c) => c.destinataire);
    const cochee =
      filtres.tout === "oui"
        ? estSelectionnable
        : filtres.tout === "non"
          ? () => false
          : aucunDestinataire
            ? cocheeParDefaut
            : (c: { destinataire: boolean }) => c.destinataire;
    const titre = `Communes destinataires de la ${titreCampagne(campagne, departement).replace(/^Campagne/, "campagne")}`;
    return sendPage(
      request,
      reply,
      { title: titre, breadcrumbs: breadcrumbs(departement, campagne, "Communes destinataires") },
      <PageDestinataires
        titre={titre}
        campagneUrl={campagneUrl(campagne.id)}
        dansNom={departement.dans_nom}
        candidats={candidats}
        affiches={affiches}
        cochee={cochee}
        filtres={filtres}
        csrfToken={reply.generateCsrf()}
      />,
    );
  });

  app.post("/conservateurs/campagnes/:campaign_id/destinataires", { config: deLaCampagne }, async (request, reply) => {
    const { campagne } = await chargerCampagne(request);
    exigerBrouillon(campagne, REFUS_DESTINATAIRES);
    const body = (request.body && typeof request.body === "object" ? request.body : {}) as Record<string, unknown>;
    const affichees = lireIds(body.affichees);
    if (affichees.size === 0) throw new BadRequestError("Aucune commune n’était affichée : la sélection n’a pas été modifiée.");
    const cochees = lireIds(body.destinataires);
    const total = await db.transaction().execute(async (trx) => {
      const verrou = await verrouillerCampagne(trx, campagne.id);
      if (verrou?.status !== "draft") throw new ConflictError(REFUS_DESTINATAIRES);
      const candidats = await candidatsDestinataires(trx, campagne);
      const actuels = new Set(candidats.filter((c) => c.destinataire).map((c) => c.id));
      const { garder, ajouter, retirer } = nouvelleSelection({ candidats, actuels, affichees, cochees });
      // Recipients whose commune no longer has objets are not candidates any more: they leave the campaign too.
      await enregistrerDestinataires(trx, campagne.id, { ajouter, retirer });
      await trx
        .deleteFrom("campaign_recipients")
        .where("campaign_id", "=", campagne.id)
        .where("commune_id", "not in", (eb) =>
          eb.selectFrom("communes").select("id").where("departement_code", "=", campagne.departement_code).where("objets_count", ">", 0),
        )
        .execute();
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "campagne.recipients",
        subject: { type: "campaign", id: campagne.id },
        after: { ajoutees: ajouter.length, retirees: retirer.length, total: garder.size },
        ip: request.ip,
      });
      return garder.size;
    });
    return redirectWithFlash(request, reply, campagneUrl(campagne.id), {
      type: "success",
      message:
        total === 0
          ? "La sélection a été enregistrée : la campagne n’a aucune commune destinataire."
          : `La sélection a été enregistrée : ${total} ${total > 1 ? "communes destinataires" : "commune destinataire"}.`,
    });
  });

  // ——— Mail previews ———

  async function apercu(request: FastifyRequest, campagne: Campagne) {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const etape = (ETAPES as readonly string[]).includes(String(q.etape)) ? (q.etape as CampaignStep) : "lancement";
    const variante = (VARIANTES as readonly string[]).includes(String(q.variante)) ? (q.variante as VarianteMail) : "inactive";
    const destinataires = await destinatairesDeLaCampagne(db, campagne.id);
    const choisi = destinataires.find((d) => d.code_insee === q.commune) ?? destinataires[0];
    const input = choisi ? await findMailCampagneInput(db, choisi.recipient_id, etape, variante) : undefined;
    return { etape, variante, destinataires, choisi, mail: input ? mailCampagne(ctx.config, input) : null };
  }

  app.get("/conservateurs/campagnes/:campaign_id/apercu", { config: deLaCampagne }, async (request, reply) => {
    const { campagne, departement } = await chargerCampagne(request);
    const { etape, variante, destinataires, choisi, mail } = await apercu(request, campagne);
    const titre = `Aperçu des mails de la ${titreCampagne(campagne, departement).replace(/^Campagne/, "campagne")}`;
    const query = new URLSearchParams({ commune: choisi?.code_insee ?? "", etape, variante }).toString();
    return sendPage(
      request,
      reply,
      { title: titre, breadcrumbs: breadcrumbs(departement, campagne, "Aperçu des mails") },
      <PageApercu
        titre={titre}
        action={`${campagneUrl(campagne.id)}/apercu`}
        htmlUrl={`${campagneUrl(campagne.id)}/apercu/html?${query}`}
        campagneUrl={campagneUrl(campagne.id)}
        destinataires={destinataires}
        choix={{ recipientId: choisi?.recipient_id ?? null, etape, variante }}
        mail={mail}
        absence={
          destinataires.length === 0
            ? "Cette campagne n’a pas encore de commune destinataire."
            : "Cette commune n’a pas d’adresse email : aucun mail ne lui sera envoyé."
        }
      />,
    );
  });

  // The mail's HTML in its own document: a srcdoc frame would inherit the page's CSP, which forbids the mail's inline styles.
  app.get("/conservateurs/campagnes/:campaign_id/apercu/html", { config: deLaCampagne }, async (request, reply) => {
    const { campagne } = await chargerCampagne(request);
    const { mail } = await apercu(request, campagne);
    if (!mail) throw new NotFoundError("Aucun mail à prévisualiser pour cette commune.");
    return reply
      .header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-ancestors 'self'; sandbox",
      )
      .header("x-frame-options", "SAMEORIGIN")
      .header("cache-control", "private, no-store")
      .type("text/html; charset=utf-8")
      .send(mail.html);
  });

  // ——— Plan, back to draft ———

  app.post("/conservateurs/campagnes/:campaign_id/planifier", { config: deLaCampagne }, async (request, reply) => {
    const { campagne, departement } = await chargerCampagne(request);
    if (!confirme(request.body))
      throw new BadRequestError("Confirmez la planification de la campagne avec le bouton « Planifier la campagne ».");
    if (campagneTransition(campagne.status, "plan") === null) throw new ConflictError("Seul un brouillon de campagne peut être planifié.");
    const aujourdhui = aujourdhuiParis();
    const resultat = await db.transaction().execute(async (trx) => {
      const verrou = await verrouillerCampagne(trx, campagne.id);
      if (verrou?.status !== "draft") throw new ConflictError("Seul un brouillon de campagne peut être planifié.");
      // Plannings of one département are serialised by locking its row.
      await trx.selectFrom("departements").select("code").where("code", "=", departement.code).forUpdate().execute();
      const autres = await autresCampagnes(trx, departement.code, campagne.id);
      const erreurs: ErreursPlanification = { ...validerCampagne(campagne, "planned", aujourdhui, autres) };
      const compte = await trx
        .selectFrom("campaign_recipients")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("campaign_id", "=", campagne.id)
        .executeTakeFirstOrThrow();
      if (Number(compte.n) === 0) erreurs.destinataires = "Choisissez au moins une commune destinataire avant de planifier la campagne.";
      if (Object.keys(erreurs).length > 0) return erreurs;
      await changerStatut(trx, campagne.id, "draft", "planned");
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "campagne.plan",
        subject: { type: "campaign", id: campagne.id },
        before: { status: "draft" },
        after: { status: "planned" },
        ip: request.ip,
      });
      return null;
    });
    if (resultat) return pageCampagne(request, reply, campagne, departement, resultat);
    return redirectWithFlash(request, reply, campagneUrl(campagne.id), {
      type: "success",
      message: `La campagne est planifiée : les premiers mails partiront le ${campagne.date_lancement.split("-").reverse().join("/")}.`,
    });
  });

  app.post("/conservateurs/campagnes/:campaign_id/brouillon", { config: deLaCampagne }, async (request, reply) => {
    const { campagne } = await chargerCampagne(request);
    if (!confirme(request.body)) throw new BadRequestError("Confirmez le retour en brouillon avec le bouton « Repasser en brouillon ».");
    const refus = "Seule une campagne planifiée qui n’a pas encore démarré peut repasser en brouillon.";
    if (campagneTransition(campagne.status, "return_to_draft") === null || campagne.date_lancement <= aujourdhuiParis())
      throw new ConflictError(refus);
    await db.transaction().execute(async (trx) => {
      if (!(await changerStatut(trx, campagne.id, "planned", "draft"))) throw new ConflictError(refus);
      await audit(trx, {
        actor: actorOf(request.identity),
        action: "campagne.return_to_draft",
        subject: { type: "campaign", id: campagne.id },
        before: { status: "planned" },
        after: { status: "draft" },
        ip: request.ip,
      });
    });
    return redirectWithFlash(request, reply, campagneUrl(campagne.id), {
      type: "success",
      message: "La campagne est repassée en brouillon : aucun mail ne partira tant qu’elle n’est pas planifiée à nouveau.",
    });
  });

  // ——— Calendar (issue 6 point 5) ———

  app.get("/campaigns.ics", { config: { access: { kind: "signed_in" } } }, async (request, reply) => {
    const identity = request.identity;
    let codes: readonly string[] | "tous";
    if (identity.kind === "admin") codes = "tous";
    else if (identity.kind === "conservateur") codes = identity.departementCodes;
    else throw new ForbiddenError();
    const campagnes = await campagnesDuCalendrier(db, codes);
    const host = new URL(ctx.config.publicUrl).host;
    return reply
      .header("content-type", "text/calendar; charset=utf-8")
      .header("content-disposition", 'attachment; filename="campagnes-collectif-objets.ics"')
      .header("cache-control", "private, no-store")
      .send(calendrierCampagnes(campagnes, { publicUrl: ctx.config.publicUrl, host, now: new Date() }));
  });
}
