import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { actorOf, conservateurOf } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { departementDeLaCommune, departementDuParametre } from "../departements/access.ts";
import { findEnteteDepartement } from "../departements/entete.tsx";
import { listFiches } from "../fiches/fiches.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { parseInput } from "../platform/http/params.ts";
import type { Notice } from "../ui/layout.tsx";
import { sendPage } from "../ui/page.tsx";
import {
  accepterDossier,
  accepterEnLot,
  findCommuneEtDossier,
  listDossiersAcceptablesEnLot,
  listRecensementsEnvoi,
  MESSAGE_REOUVERTURE_IMPOSSIBLE,
  NOTES_CONSERVATEUR_MAX,
  rouvrirDossier,
  titresDesFichesRecommandees,
  type CommuneEnvoi,
  type ResultatLot,
} from "./acceptation.ts";
import { adressageDe } from "../messagerie/adresses.ts";
import { examenDisponibleMail } from "./mails.ts";
import { etatEnvoiExamen, type Visite } from "./rules.ts";
import { ConfirmationLotPage, ListeLotPage, type IgnoreEnLot } from "./views/envoi-lot.tsx";
import {
  CHOIX_VISITE,
  communeConservateurUrl,
  EnvoiExamenPage,
  type ApercuMail,
  type ChoixVisite,
  type ErreursEnvoi,
  type SaisieEnvoi,
} from "./views/envoi-page.tsx";
import { MESSAGE_DOSSIER_ROUVERT } from "./views/envoi-reouverture.tsx";

export const MESSAGE_EXAMEN_ENVOYE = "L’examen a été envoyé à la commune.";
export const MESSAGE_VISITE_MANQUANTE = "Indiquez s’il faut prévoir une visite sur place : choisissez l’une des trois réponses.";
export const MESSAGE_NOTES_TROP_LONGUES = `Le commentaire est trop long : ${NOTES_CONSERVATEUR_MAX.toLocaleString("fr-FR")} caractères au plus.`;
export const MESSAGE_SELECTION_VIDE = "Sélectionnez au moins un dossier dans le tableau avant de continuer.";
export const MESSAGE_AUCUN_ELIGIBLE =
  "Aucun des dossiers sélectionnés ne peut être envoyé en lot : ils ont changé depuis l’affichage de la liste.";
const MESSAGE_REOUVERTURE_NON_CONFIRMEE = "Confirmez la réouverture avec le bouton « Rouvrir le dossier ».";

const envoiBody = z.object({
  notes_conservateur: z.string().default(""),
  visite: z.string().default(""),
  action: z.enum(["envoyer", "previsualiser"]).default("envoyer"),
});
const reouvertureBody = z.object({ confirmer: z.string().optional() });
const listeOuValeur = z.union([z.string(), z.array(z.string())]).optional();
const lotQuery = z.object({ tout: z.string().optional(), dossiers: listeOuValeur });
const lotBody = z.object({
  etape: z.enum(["confirmer", "valider"]).optional(),
  dossiers: listeOuValeur,
  notes_conservateur: z.string().default(""),
});

/** Line breaks normalised, surrounding blanks dropped. */
function normaliserNotes(notes: string): string {
  return notes.replace(/\r\n/g, "\n").trim();
}

/** Dossier ids from a form or a query string; anything that is not an id is dropped. */
function idsDe(valeur: string | string[] | undefined): number[] {
  const valeurs = valeur === undefined ? [] : Array.isArray(valeur) ? valeur : [valeur];
  const ids = valeurs.filter((v) => /^[1-9][0-9]{0,9}$/.test(v)).map(Number);
  return [...new Set(ids.filter((id) => id <= 2_147_483_647))];
}

/** A flash message stays small (it lives in the session cookie): the first refusals are named, the rest counted. */
function rapportDuLot(resultat: ResultatLot): Notice {
  const n = resultat.acceptes.length;
  const m = resultat.refuses.length;
  const envoyes = n > 1 ? `${n} examens envoyés` : n === 1 ? "1 examen envoyé" : "Aucun examen envoyé";
  if (m === 0) return { type: "success", message: `${envoyes}. Les communes ont été prévenues par mail.` };
  const nommes = resultat.refuses.slice(0, 5).map((r) => `${r.commune ?? `dossier n° ${r.dossierId}`} (${r.raison})`);
  const autres = m > nommes.length ? ` ; et ${m - nommes.length} autre${m - nommes.length > 1 ? "s" : ""}` : "";
  return {
    type: n === 0 ? "error" : "warning",
    message: `${envoyes}, ${m} refusé${m > 1 ? "s" : ""} : ${nommes.join(" ; ")}${autres}.`,
  };
}

/** Sending the examen (RB §5.9), reopening (RB §5.5) and batch acceptance of "objets verts" dossiers (SPEC §11.4). */
export async function envoiExamenRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const fiches = listFiches();
  const parCommune = { access: { kind: "conservateur_departement", departement: departementDeLaCommune(db, "code_insee") } } as const;
  const parDepartement = { access: { kind: "conservateur_departement", departement: departementDuParametre(db, "code") } } as const;

  const breadcrumbsCommune = (commune: CommuneEnvoi, label: string) => [
    { href: "/conservateurs/departements", label: "Mes départements" },
    { href: `/conservateurs/departements/${commune.departement_code}`, label: commune.departement_nom },
    { href: communeConservateurUrl(commune.code_insee), label: commune.nom },
    { label },
  ];

  async function chargerEnvoi(codeInsee: string) {
    const found = await findCommuneEtDossier(db, codeInsee);
    if (!found) throw new NotFoundError();
    const recensements = found.dossier ? await listRecensementsEnvoi(db, found.dossier.id) : [];
    const etat = etatEnvoiExamen(found.dossier?.status ?? "construction", recensements);
    return { ...found, recensements, etat };
  }
  type Envoi = Awaited<ReturnType<typeof chargerEnvoi>>;

  function apercu(request: FastifyRequest, envoi: Envoi, notes: string, source: ApercuMail["source"]): ApercuMail | null {
    if (!envoi.dossier) return null;
    const mail = examenDisponibleMail(ctx.config, {
      to: "",
      communeUserId: 0,
      dossierId: envoi.dossier.id,
      acceptedAt: new Date(),
      commune: { nom: envoi.commune.nom, codeInsee: envoi.commune.code_insee },
      conservateur: { nom: conservateurOf(request).displayName },
      notes: notes || null,
      fiches: titresDesFichesRecommandees(envoi.recensements),
    });
    return { from: mail.from, subject: mail.subject, text: mail.text, source };
  }

  function renderEnvoi(
    request: FastifyRequest,
    reply: FastifyReply,
    envoi: Envoi,
    options: { saisie: SaisieEnvoi; erreurs?: ErreursEnvoi; apercu: ApercuMail | null; statusCode?: number },
  ) {
    const erreurs = options.erreurs ?? {};
    const enErreur = Object.keys(erreurs).length > 0;
    return sendPage(
      request,
      reply,
      {
        title: `${enErreur ? "Erreur - " : ""}Examen du recensement pour ${envoi.commune.nom}`,
        breadcrumbs: breadcrumbsCommune(envoi.commune, "Envoi de l’examen"),
        statusCode: options.statusCode ?? 200,
      },
      <EnvoiExamenPage
        commune={envoi.commune}
        etat={envoi.etat}
        recensements={envoi.recensements}
        fiches={fiches}
        saisie={options.saisie}
        erreurs={erreurs}
        apercu={options.apercu}
        csrfToken={reply.generateCsrf()}
      />,
    );
  }

  app.get<{ Params: { code_insee: string } }>(
    "/conservateurs/communes/:code_insee/envoi-examen",
    { config: parCommune },
    async (request, reply) => {
      const envoi = await chargerEnvoi(request.params.code_insee);
      const notes = envoi.dossier?.notes_conservateur ?? "";
      const visite = envoi.dossier?.status === "submitted" && envoi.dossier.visit ? envoi.dossier.visit : "";
      return renderEnvoi(request, reply, envoi, {
        saisie: { notes, visite },
        apercu: envoi.etat.ok ? apercu(request, envoi, notes, "enregistre") : null,
      });
    },
  );

  app.post<{ Params: { code_insee: string } }>(
    "/conservateurs/communes/:code_insee/envoi-examen",
    { config: parCommune },
    async (request, reply) => {
      const body = parseInput(envoiBody, request.body);
      const saisie: SaisieEnvoi = { notes: body.notes_conservateur, visite: body.visite };
      const envoi = await chargerEnvoi(request.params.code_insee);
      if (!envoi.etat.ok || !envoi.dossier) return renderEnvoi(request, reply, envoi, { saisie, apercu: null, statusCode: 409 });

      const notes = normaliserNotes(body.notes_conservateur);
      const erreurs: ErreursEnvoi = {};
      if (notes.length > NOTES_CONSERVATEUR_MAX) erreurs.notes = MESSAGE_NOTES_TROP_LONGUES;
      if (body.action === "previsualiser") {
        return renderEnvoi(request, reply, envoi, {
          saisie,
          erreurs,
          apercu: erreurs.notes ? null : apercu(request, envoi, notes, "saisi"),
          statusCode: erreurs.notes ? 400 : 200,
        });
      }
      if (!(CHOIX_VISITE as readonly string[]).includes(body.visite)) erreurs.visite = MESSAGE_VISITE_MANQUANTE;
      if (erreurs.notes || erreurs.visite) return renderEnvoi(request, reply, envoi, { saisie, erreurs, apercu: null, statusCode: 400 });

      const choix = body.visite as ChoixVisite;
      const conservateur = conservateurOf(request);
      const dossierId = envoi.dossier.id;
      await db.transaction().execute((trx) =>
        accepterDossier(trx, {
          dossierId,
          conservateurId: conservateur.id,
          notes: notes || null,
          visite: choix === "aucune" ? null : (choix satisfies Visite),
          actor: actorOf(conservateur),
          ip: request.ip,
          config: ctx.config,
          reponses: adressageDe(ctx),
        }),
      );
      return redirectWithFlash(request, reply, communeConservateurUrl(envoi.commune.code_insee), {
        type: "success",
        message: MESSAGE_EXAMEN_ENVOYE,
      });
    },
  );

  app.post<{ Params: { code_insee: string } }>(
    "/conservateurs/communes/:code_insee/reouverture",
    { config: parCommune },
    async (request, reply) => {
      const body = parseInput(reouvertureBody, request.body);
      if (body.confirmer !== "oui") throw new BadRequestError(MESSAGE_REOUVERTURE_NON_CONFIRMEE);
      const found = await findCommuneEtDossier(db, request.params.code_insee);
      if (!found) throw new NotFoundError();
      const dossier = found.dossier;
      if (!dossier) throw new ConflictError(MESSAGE_REOUVERTURE_IMPOSSIBLE);
      const conservateur = conservateurOf(request);
      await db.transaction().execute((trx) => rouvrirDossier(trx, { dossierId: dossier.id, actor: actorOf(conservateur), ip: request.ip }));
      return redirectWithFlash(request, reply, communeConservateurUrl(found.commune.code_insee), {
        type: "success",
        message: MESSAGE_DOSSIER_ROUVERT,
      });
    },
  );

  // ——— Batch acceptance ———

  async function departementDe(code: string) {
    const departement = await findEnteteDepartement(db, code);
    if (!departement) throw new NotFoundError();
    return departement;
  }
  const breadcrumbsLot = (departement: { code: string; nom: string }) => [
    { href: "/conservateurs/departements", label: "Mes départements" },
    { href: `/conservateurs/departements/${departement.code}`, label: departement.nom },
    { label: "Envoi groupé des examens" },
  ];

  async function renderListe(
    request: FastifyRequest,
    reply: FastifyReply,
    departement: { code: string; nom: string },
    options: { coches: (ids: number[]) => Set<number>; erreur?: string; statusCode?: number },
  ) {
    const { dossiers, tronque } = await listDossiersAcceptablesEnLot(db, departement.code);
    return sendPage(
      request,
      reply,
      {
        title: `${options.erreur ? "Erreur - " : ""}Envoi groupé des examens – ${departement.nom}`,
        breadcrumbs: breadcrumbsLot(departement),
        statusCode: options.statusCode ?? 200,
      },
      <ListeLotPage
        departement={departement}
        dossiers={dossiers}
        tronque={tronque}
        coches={options.coches(dossiers.map((d) => d.dossierId))}
        erreur={options.erreur ?? null}
        csrfToken={reply.generateCsrf()}
      />,
    );
  }

  app.get<{ Params: { code: string } }>(
    "/conservateurs/departements/:code/acceptation-groupee",
    { config: parDepartement },
    async (request, reply) => {
      const query = parseInput(lotQuery, request.query);
      const departement = await departementDe(request.params.code);
      const demandes = new Set(idsDe(query.dossiers));
      return renderListe(request, reply, departement, {
        coches: (ids) => new Set(query.tout === "1" ? ids : ids.filter((id) => demandes.has(id))),
      });
    },
  );

  app.post<{ Params: { code: string } }>(
    "/conservateurs/departements/:code/acceptation-groupee",
    { config: parDepartement },
    async (request, reply) => {
      const body = parseInput(lotBody, request.body);
      const departement = await departementDe(request.params.code);
      const ids = idsDe(body.dossiers);
      if (!body.etape || ids.length === 0) {
        return renderListe(request, reply, departement, { coches: () => new Set(), erreur: MESSAGE_SELECTION_VIDE, statusCode: 400 });
      }
      const conservateur = conservateurOf(request);
      const notes = normaliserNotes(body.notes_conservateur);
      const tropLongues = notes.length > NOTES_CONSERVATEUR_MAX;

      if (body.etape === "confirmer" || tropLongues) {
        const { dossiers } = await listDossiersAcceptablesEnLot(db, departement.code);
        const choisis = new Set(ids);
        const retenus = dossiers.filter((d) => choisis.has(d.dossierId));
        const eligibles = new Set(retenus.map((d) => d.dossierId));
        const ignores: IgnoreEnLot[] = ids
          .filter((id) => !eligibles.has(id))
          .map((id) => ({
            dossierId: id,
            commune: null,
            raison: "il ne fait pas partie des dossiers de ce département pouvant être envoyés en lot",
          }));
        if (retenus.length === 0) {
          return renderListe(request, reply, departement, { coches: () => new Set(), erreur: MESSAGE_AUCUN_ELIGIBLE, statusCode: 409 });
        }
        return sendPage(
          request,
          reply,
          {
            title: `${tropLongues ? "Erreur - " : ""}Confirmer l’envoi groupé des examens – ${departement.nom}`,
            breadcrumbs: breadcrumbsLot(departement),
            statusCode: tropLongues ? 400 : 200,
          },
          <ConfirmationLotPage
            departement={departement}
            dossiers={retenus}
            ignores={ignores}
            notes={body.notes_conservateur}
            erreurNotes={tropLongues ? MESSAGE_NOTES_TROP_LONGUES : null}
            csrfToken={reply.generateCsrf()}
          />,
        );
      }

      const resultat = await accepterEnLot(db, {
        departementCode: departement.code,
        dossierIds: ids,
        conservateurId: conservateur.id,
        notes: notes || null,
        actor: actorOf(conservateur),
        ip: request.ip,
        config: ctx.config,
        reponses: adressageDe(ctx),
        onError: (error, dossierId) => request.log.error({ err: error, dossierId }, "batch acceptance of a dossier failed"),
      });
      return redirectWithFlash(request, reply, `/conservateurs/departements/${departement.code}`, rapportDuLot(resultat));
    },
  );
}
