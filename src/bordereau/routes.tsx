import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, conservateurOf } from "../comptes/access.ts";
import { redirectWithFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { departementDeLaCommune } from "../departements/access.ts";
import { sendCommunePage } from "../examen/commune.tsx";
import { findCommuneConservateur, type CommuneConservateur } from "../examen/commune-repository.ts";
import { audit } from "../platform/audit.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../platform/http/errors.ts";
import { arreterExpediteur, demanderGeneration, genererBordereau } from "./jobs.ts";
import {
  bordereauDeLEdifice,
  edificeCleDuParametre,
  enregistrerLignes,
  listEdificesBordereaux,
  parametreEdifice,
  type EdificeBordereau,
  type EdificeCle,
} from "./repository.ts";
import { lireFormulaire, MESSAGES, nomFichierBordereau, type LigneBordereau } from "./rules.ts";
import { BordereauxOnglet, urlOnglet, type SaisieRefusee } from "./views/bordereaux.tsx";

type Params = { Params: { code_insee: string } };
type ParamsEdifice = { Params: { code_insee: string; edifice_id: string } };

const MESSAGE_EDIFICE_INCONNU = "Cet édifice n’abrite aucun objet classé ou inscrit recensé dans le dossier de la commune.";

/**
 * Bordereaux de récolement (RB §5.12): the commune page's tab, saving the lines of an édifice and
 * queueing the PDF's generation, and the download (generated at once when the file is missing).
 */
export async function bordereauRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const rule = { access: { kind: "conservateur_departement", departement: departementDeLaCommune(db, "code_insee") } } as const;
  app.addHook("onClose", async () => {
    await arreterExpediteur(ctx.database);
  });

  function lectureSeule(request: FastifyRequest): boolean {
    const conservateur = conservateurOf(request);
    return conservateur.impersonation !== undefined && !conservateur.impersonation.write;
  }

  async function afficher(
    request: FastifyRequest,
    reply: FastifyReply,
    commune: CommuneConservateur,
    options: { ouvert?: EdificeCle | undefined; saisie?: SaisieRefusee | undefined } = {},
  ): Promise<FastifyReply> {
    const dossier = commune.dossier;
    const accepte = dossier?.status === "accepted";
    const edifices = accepte && dossier ? await listEdificesBordereaux(db, dossier.id, commune.nom) : [];
    return sendCommunePage(
      request,
      reply,
      commune,
      "bordereaux",
      <BordereauxOnglet
        codeInsee={commune.code_insee}
        accepte={accepte}
        edifices={edifices}
        csrfToken={lectureSeule(request) ? null : reply.generateCsrf()}
        ouvert={options.ouvert}
        saisie={options.saisie}
      />,
    );
  }

  /** The accepted dossier's édifice named by the URL, with its lines (404 / 409 otherwise). */
  async function edificeDemande(
    codeInsee: string,
    parametre: string,
  ): Promise<{ commune: CommuneConservateur; dossierId: number; edifice: EdificeBordereau }> {
    const cle = edificeCleDuParametre(parametre);
    if (cle === undefined) throw new NotFoundError(MESSAGE_EDIFICE_INCONNU);
    const commune = await findCommuneConservateur(db, codeInsee);
    const dossier = commune.dossier;
    if (!dossier || dossier.status !== "accepted") throw new ConflictError(MESSAGES.avantEnvoi);
    const [edifice] = await listEdificesBordereaux(db, dossier.id, commune.nom, { cle });
    if (!edifice) throw new NotFoundError(MESSAGE_EDIFICE_INCONNU);
    return { commune, dossierId: dossier.id, edifice };
  }

  app.get<Params & { Querystring: { edifice?: string } }>(
    "/conservateurs/communes/:code_insee/bordereaux",
    { config: rule },
    async (request, reply) => {
      const commune = await findCommuneConservateur(db, request.params.code_insee, conservateurOf(request).id);
      const edifice = typeof request.query.edifice === "string" ? edificeCleDuParametre(request.query.edifice) : undefined;
      return afficher(request, reply, commune, { ouvert: edifice });
    },
  );

  app.post<ParamsEdifice>(
    "/conservateurs/communes/:code_insee/bordereaux/:edifice_id",
    {
      config: rule,
      // A refused form is shown again with its messages, answered with 400.
      onSend: async (request, reply, payload) => {
        if ((request as FastifyRequest & { saisieRefusee?: boolean }).saisieRefusee) reply.code(400);
        return payload;
      },
    },
    async (request, reply) => {
      const { commune, dossierId, edifice } = await edificeDemande(request.params.code_insee, request.params.edifice_id);
      const attendus = edifice.lignes.map((ligne) => ligne.recensement_id);
      const lecture = lireFormulaire(request.body, attendus);
      if (!lecture.ok) {
        if (lecture.erreurs.has("_form")) throw new BadRequestError(lecture.erreurs.get("_form"));
        (request as FastifyRequest & { saisieRefusee?: boolean }).saisieRefusee = true;
        return afficher(request, reply, commune, {
          ouvert: edifice.cle,
          saisie: { cle: edifice.cle, erreurs: lecture.erreurs, lignes: valeursPostees(request.body) },
        });
      }
      const bordereauId = await db.transaction().execute(async (trx) => {
        const bordereau = await bordereauDeLEdifice(trx, dossierId, edifice.cle, edifice.nom);
        await enregistrerLignes(trx, bordereau.id, edifice.nom, lecture.lignes);
        await audit(trx, {
          actor: actorOf(request.identity),
          action: "bordereau.generation_demandee",
          subject: { type: "bordereau", id: bordereau.id },
          communeId: commune.id,
          after: { edifice: edifice.nom, lignes: Object.fromEntries(lecture.lignes) },
          ip: request.ip,
        });
        return bordereau.id;
      });
      await demanderGeneration(ctx, bordereauId);
      const cle = parametreEdifice(edifice.cle);
      return redirectWithFlash(request, reply, `${urlOnglet(commune.code_insee)}?edifice=${cle}#edifice-${cle}`, {
        type: "success",
        message: `Le bordereau de l’édifice « ${edifice.nom} » est enregistré ; sa génération est en cours.`,
      });
    },
  );

  app.get<ParamsEdifice>("/conservateurs/communes/:code_insee/bordereaux/:edifice_id/pdf", { config: rule }, async (request, reply) => {
    const { commune, dossierId, edifice } = await edificeDemande(request.params.code_insee, request.params.edifice_id);
    let key = edifice.bordereau?.storage_key ?? null;
    let stored = key ? await ctx.files.createReadStream(key) : null;
    if (!stored) {
      // Never generated, or the file was lost: generate it now from the saved lines (or the defaults).
      const bordereau =
        edifice.bordereau ?? (await db.transaction().execute((trx) => bordereauDeLEdifice(trx, dossierId, edifice.cle, edifice.nom)));
      const genere = await genererBordereau(ctx, bordereau.id);
      if (!genere) throw new ConflictError("Le bordereau n’a pas pu être généré. Réessayez dans quelques minutes.");
      key = genere.storage_key;
      stored = await ctx.files.createReadStream(key);
      if (!stored) throw new ConflictError("Le bordereau n’a pas pu être généré. Réessayez dans quelques minutes.");
    }
    return reply
      .header("Content-Type", "application/pdf")
      .header("Content-Length", String(stored.size))
      .header("Content-Disposition", `attachment; filename="${nomFichierBordereau(commune.nom, edifice.nom)}"`)
      .header("Cache-Control", "private, no-store")
      .send(stored.stream);
  });
}

/** The posted values, to show a refused form as it was typed. */
function valeursPostees(body: unknown): SaisieRefusee["lignes"] {
  const lignes: SaisieRefusee["lignes"] = new Map();
  if (!body || typeof body !== "object") return lignes;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const match = /^lignes\[(\d{1,10})\]\[(etat_sanitaire|notes_commune|notes_conservateur|notes_proprietaire|notes_affectataire)\]$/.exec(
      name,
    );
    if (!match || typeof value !== "string") continue;
    const id = Number(match[1]);
    lignes.set(id, { ...lignes.get(id), [match[2] as keyof LigneBordereau]: value });
  }
  return lignes;
}
