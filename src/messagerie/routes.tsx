import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, communeOf, conservateurOf } from "../comptes/access.ts";
import { findConservateurIdentity } from "../comptes/repository.ts";
import { addFlash } from "../comptes/session.ts";
import type { AppContext } from "../context.ts";
import { departementDeLaCommune, idParam } from "../departements/access.ts";
import { sendCommunePage } from "../examen/commune.tsx";
import { findCommuneConservateur } from "../examen/commune-repository.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { variantKey } from "../platform/images/stored.ts";
import { sendPage } from "../ui/page.tsx";
import { adresseReponse } from "./adresses.ts";
import { cleFichier, PIECES_JOINTES_LIMITES, recevoirMessage, supprimerPiecesStockees } from "./pieces-jointes.ts";
import { marquerLu, publierMessage, type Auteur } from "./publication.ts";
import {
  findCommuneMessagerie,
  findPieceJointe,
  listFilsConservateur,
  pageDuFil,
  type CommuneMessagerie,
  type PageDuFil,
} from "./repository.ts";
import { contentDisposition, erreurTexte, MESSAGES_MESSAGERIE, normaliserTexte, TEXTE_MAX } from "./rules.ts";
import { FORMULAIRE_VIDE, type EtatFormulaire } from "./views/fil.tsx";
import { BoiteConservateur, MessagerieCommune, MessagerieSupport, OngletMessagerie } from "./views/pages.tsx";

type CommuneParams = { code_insee: string };
type PieceParams = CommuneParams & { piece_jointe_id: string };
type FilQuery = { avant?: string };

export function filCommuneUrl(codeInsee: string): string {
  return `/communes/${codeInsee}/messagerie`;
}
export function filConservateurUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/messagerie`;
}
export function filSupportUrl(codeInsee: string): string {
  return `/admin/communes/${codeInsee}/messagerie`;
}

/** `?avant=<id>`: a page of older messages; anything else is the latest page. */
function avantDe(query: FilQuery | undefined): number | null {
  return idParam(query?.avant);
}

/**
 * Messagerie threads (RB §4.8, §5.14, §6): the commune's page, the conservateur's tab and inbox, support's
 * page, the attachments' downloads. Forms are plain multipart POSTs; a refused message (no text, an
 * attachment refused…) comes back with the text kept and nothing saved.
 */
export async function messagerieRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const files = ctx.files;
  const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;
  const conservateurRule = {
    access: { kind: "conservateur_departement", departement: departementDeLaCommune(db, "code_insee") },
  } as const;
  const adminRule = { access: { kind: "admin" } } as const;

  async function communeDuParametre(codeInsee: string): Promise<CommuneMessagerie> {
    const commune = await findCommuneMessagerie(db, codeInsee);
    if (!commune) throw new NotFoundError("Cette commune est introuvable.");
    return commune;
  }

  /** Marks the latest page read for its reader; false when nothing new was read. */
  async function lire(lecteur: { type: "commune" | "conservateur"; id: number }, communeId: number, page: PageDuFil): Promise<boolean> {
    const dernier = page.messages.at(-1);
    if (!dernier || page.plusRecents) return false;
    const ancien = await marquerLu(db, lecteur, communeId, dernier.id);
    return ancien < dernier.id;
  }

  /**
   * Reads the form, then records the message or explains why not. Returns the form state to show again,
   * or null once the message is recorded (the caller redirects).
   */
  async function poster(
    request: FastifyRequest,
    commune: CommuneMessagerie,
    auteur: Auteur,
  ): Promise<{ etat: EtatFormulaire; id: null } | { etat: null; id: number }> {
    const recu = await recevoirMessage(request, files);
    const texte = normaliserTexte(recu.texte);
    const erreur = recu.texteTronque
      ? MESSAGES_MESSAGERIE.texteTropLong
      : (erreurTexte(texte) ?? (recu.refus.length > 0 ? MESSAGES_MESSAGERIE.piecesRefusees : null));
    if (erreur) {
      await supprimerPiecesStockees(files, recu.pieces);
      return { etat: { texte, erreur, refus: recu.refus }, id: null };
    }
    try {
      const { id } = await db.transaction().execute((trx) =>
        publierMessage(ctx, trx, {
          communeId: commune.id,
          auteur,
          origine: "web",
          texte,
          piecesJointes: recu.pieces,
          acteur: actorOf(request.identity),
          ip: request.ip,
        }),
      );
      return { etat: null, id };
    } catch (error) {
      await supprimerPiecesStockees(files, recu.pieces).catch((e: unknown) =>
        request.log.warn({ err: e }, "message attachments not deleted"),
      );
      throw error;
    }
  }

  function envoye(request: FastifyRequest, reply: FastifyReply, fil: string, id: number): FastifyReply {
    addFlash(request, { type: "success", message: MESSAGES_MESSAGERIE.envoye });
    return reply.redirect(`${fil}#message-${id}`, 303);
  }

  // ——— Commune ———

  async function pageCommune(
    request: FastifyRequest<{ Params: CommuneParams; Querystring: FilQuery }>,
    reply: FastifyReply,
    etat: EtatFormulaire,
    statusCode?: number,
  ) {
    const identity = communeOf(request);
    const commune = await communeDuParametre(identity.codeInsee);
    const page = await pageDuFil(db, commune.id, avantDe(request.query));
    // An admin looking through the commune's eyes leaves its unread messages unread.
    if (!identity.impersonation && (await lire({ type: "commune", id: identity.communeUserId }, commune.id, page))) {
      request.identity = { ...identity, messagesNonLus: 0 };
    }
    const lectureSeule = identity.impersonation !== undefined && !identity.impersonation.write;
    return sendPage(
      request,
      reply,
      {
        title: `Messagerie — ${commune.nom}`,
        breadcrumbs: [{ href: `/communes/${commune.code_insee}/objets`, label: commune.nom }, { label: "Messagerie" }],
        ...(statusCode ? { statusCode } : {}),
      },
      <MessagerieCommune
        page={page}
        lecteur={{ type: "commune", id: identity.communeUserId }}
        fil={filCommuneUrl(commune.code_insee)}
        csrfToken={lectureSeule ? null : reply.generateCsrf()}
        etat={etat}
        commune={commune}
        adresse={adresseReponse(ctx.replyKey, ctx.config.replyDomain, commune, "commune")}
      />,
    );
  }

  app.get<{ Params: CommuneParams; Querystring: FilQuery }>("/communes/:code_insee/messagerie", { config: communeRule }, (request, reply) =>
    pageCommune(request, reply, FORMULAIRE_VIDE),
  );

  // ——— Conservateur ———

  async function ongletConservateur(
    request: FastifyRequest<{ Params: CommuneParams; Querystring: FilQuery }>,
    reply: FastifyReply,
    etat: EtatFormulaire,
    statusCode?: number,
  ) {
    const conservateur = conservateurOf(request);
    const [communePage, commune] = await Promise.all([
      findCommuneConservateur(db, request.params.code_insee),
      communeDuParametre(request.params.code_insee),
    ]);
    const page = await pageDuFil(db, commune.id, avantDe(request.query));
    if (!conservateur.impersonation && (await lire({ type: "conservateur", id: conservateur.id }, commune.id, page))) {
      // The navigation's count was read before this visit marked the thread read.
      const fresh = await findConservateurIdentity(db, conservateur.id);
      if (fresh) request.identity = { ...conservateur, filsNonLus: fresh.filsNonLus };
    }
    const lectureSeule = conservateur.impersonation !== undefined && !conservateur.impersonation.write;
    return sendCommunePage(
      request,
      reply,
      communePage,
      "messagerie",
      <OngletMessagerie
        page={page}
        lecteur={{ type: "conservateur", id: conservateur.id }}
        fil={filConservateurUrl(commune.code_insee)}
        csrfToken={lectureSeule ? null : reply.generateCsrf()}
        etat={etat}
        commune={commune}
        adresse={adresseReponse(ctx.replyKey, ctx.config.replyDomain, commune, "conservateur")}
      />,
      statusCode,
    );
  }

  app.get<{ Params: CommuneParams; Querystring: FilQuery }>(
    "/conservateurs/communes/:code_insee/messagerie",
    { config: conservateurRule },
    (request, reply) => ongletConservateur(request, reply, FORMULAIRE_VIDE),
  );

  app.get<{ Querystring: { page?: string } }>(
    "/conservateurs/messagerie",
    { config: { access: { kind: "conservateur" } } },
    async (request, reply) => {
      const conservateur = conservateurOf(request);
      const page = Math.min(idParam(request.query.page) ?? 1, 10_000);
      const { fils, total } = await listFilsConservateur(db, conservateur, page);
      return sendPage(
        request,
        reply,
        { title: page > 1 ? `Messagerie — page ${page}` : "Messagerie", breadcrumbs: [{ label: "Messagerie" }] },
        <BoiteConservateur fils={fils} total={total} page={page} />,
      );
    },
  );

  // ——— Support ———

  async function pageSupport(
    request: FastifyRequest<{ Params: CommuneParams; Querystring: FilQuery }>,
    reply: FastifyReply,
    etat: EtatFormulaire,
    statusCode?: number,
  ) {
    const commune = await communeDuParametre(request.params.code_insee);
    const page = await pageDuFil(db, commune.id, avantDe(request.query));
    const admin = request.identity;
    if (admin.kind !== "admin") throw new Error("an admin rule let another identity through");
    return sendPage(
      request,
      reply,
      {
        title: `Messagerie — ${commune.nom}`,
        breadcrumbs: [
          { href: "/admin", label: "Administration" },
          { href: "/admin/communes", label: "Communes" },
          { href: `/admin/communes/${encodeURIComponent(commune.code_insee)}`, label: `${commune.nom} (${commune.code_insee})` },
          { label: `Messagerie de ${commune.nom}` },
        ],
        ...(statusCode ? { statusCode } : {}),
      },
      <MessagerieSupport
        page={page}
        lecteur={{ type: "admin", id: admin.id }}
        fil={filSupportUrl(commune.code_insee)}
        csrfToken={reply.generateCsrf()}
        etat={etat}
        commune={commune}
      />,
    );
  }

  app.get<{ Params: CommuneParams; Querystring: FilQuery }>(
    "/admin/communes/:code_insee/messagerie",
    { config: adminRule },
    (request, reply) => pageSupport(request, reply, FORMULAIRE_VIDE),
  );

  // ——— New messages (multipart: attachments are streamed, one file at a time) ———

  await app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fileSize: PIECES_JOINTES_LIMITES.octets,
        // One more than allowed, to tell the sender rather than cut the upload short.
        files: PIECES_JOINTES_LIMITES.parMessage + 1,
        fields: 5,
        // The text in UTF-8 (up to 4 bytes a character) with its line endings.
        fieldSize: TEXTE_MAX * 4 + 1024,
        parts: PIECES_JOINTES_LIMITES.parMessage + 6,
        headerPairs: 50,
      },
      throwFileSizeLimit: false,
    });

    scope.post<{ Params: CommuneParams; Querystring: FilQuery }>(
      "/communes/:code_insee/messagerie",
      { config: communeRule },
      async (request, reply) => {
        const identity = communeOf(request);
        const commune = await communeDuParametre(identity.codeInsee);
        const resultat = await poster(request, commune, { type: "commune", id: identity.communeUserId });
        if (resultat.etat) return pageCommune(request, reply, resultat.etat, 400);
        return envoye(request, reply, filCommuneUrl(commune.code_insee), resultat.id);
      },
    );

    scope.post<{ Params: CommuneParams; Querystring: FilQuery }>(
      "/conservateurs/communes/:code_insee/messagerie",
      { config: conservateurRule },
      async (request, reply) => {
        const conservateur = conservateurOf(request);
        const commune = await communeDuParametre(request.params.code_insee);
        const resultat = await poster(request, commune, { type: "conservateur", id: conservateur.id });
        if (resultat.etat) return ongletConservateur(request, reply, resultat.etat, 400);
        return envoye(request, reply, filConservateurUrl(commune.code_insee), resultat.id);
      },
    );

    scope.post<{ Params: CommuneParams; Querystring: FilQuery }>(
      "/admin/communes/:code_insee/messagerie",
      { config: adminRule },
      async (request, reply) => {
        const admin = request.identity;
        if (admin.kind !== "admin") throw new Error("an admin rule let another identity through");
        const commune = await communeDuParametre(request.params.code_insee);
        const resultat = await poster(request, commune, { type: "admin", id: admin.id });
        if (resultat.etat) return pageSupport(request, reply, resultat.etat, 400);
        return envoye(request, reply, filSupportUrl(commune.code_insee), resultat.id);
      },
    );
  });

  // ——— Attachments ———

  async function envoyerPiece(request: FastifyRequest<{ Params: PieceParams; Querystring: { variante?: string } }>, reply: FastifyReply) {
    const id = idParam(request.params.piece_jointe_id);
    // An attachment of another commune's thread answers exactly like a missing one.
    const piece = id === null ? undefined : await findPieceJointe(db, request.params.code_insee, id);
    if (!piece) throw new NotFoundError("Cette pièce jointe est introuvable.");
    const vignette = request.query.variante === "vignette" && piece.kind === "image";
    const key = piece.kind === "image" ? variantKey(piece.storage_key, vignette ? "thumbnail" : "original") : cleFichier(piece.storage_key);
    const file = await files.createReadStream(key);
    if (!file) {
      request.log.error({ pieceId: piece.id }, "message attachment missing from the store");
      throw new NotFoundError("Le fichier de cette pièce jointe est introuvable.");
    }
    return reply
      .header("cache-control", "private, max-age=3600")
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
      .header("content-disposition", contentDisposition(piece.kind === "image" ? "inline" : "attachment", piece.filename))
      .header("content-type", piece.kind === "image" ? "image/jpeg" : piece.content_type)
      .header("content-length", file.size)
      .send(file.stream);
  }

  type PieceRoute = { Params: PieceParams; Querystring: { variante?: string } };
  app.get<PieceRoute>("/communes/:code_insee/messagerie/pieces-jointes/:piece_jointe_id", { config: communeRule }, envoyerPiece);
  app.get<PieceRoute>(
    "/conservateurs/communes/:code_insee/messagerie/pieces-jointes/:piece_jointe_id",
    { config: conservateurRule },
    envoyerPiece,
  );
  app.get<PieceRoute>("/admin/communes/:code_insee/messagerie/pieces-jointes/:piece_jointe_id", { config: adminRule }, envoyerPiece);
}
