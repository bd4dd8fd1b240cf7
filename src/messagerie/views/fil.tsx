import { CsrfField } from "../../comptes/views/components.tsx";
import { sanitiserHtml } from "../inbound/sanitize.ts";
import { FORMATS_ACCEPTES, PIECES_JOINTES_LIMITES, type PieceRefusee } from "../pieces-jointes.ts";
import type { MessageVue, PageDuFil, PieceJointeVue } from "../repository.ts";
import { dateMessage, libelleAuteur, tailleLisible, TEXTE_MAX, type Lecteur } from "../rules.ts";

/** Where the thread lives for this reader: its URL, and the URL of each attachment. */
export type UrlsDuFil = { fil: string };

export function pieceJointeUrl(fil: string, pieceId: number, vignette = false): string {
  return `${fil}/pieces-jointes/${pieceId}${vignette ? "?variante=vignette" : ""}`;
}

/** What the person typed and why it was not sent, to show the form again (nothing was saved). */
export type EtatFormulaire = { texte: string; erreur: string | null; refus: PieceRefusee[] };

export const FORMULAIRE_VIDE: EtatFormulaire = { texte: "", erreur: null, refus: [] };

export function AvertissementDonnees() {
  return (
    <div class="fr-notice fr-notice--info fr-mb-3w">
      <div class="fr-container">
        <div class="fr-notice__body">
          <p class="fr-notice__title">
            Attention à vos données à caractère personnel : n’écrivez ici ni informations sensibles (santé, opinions, situation familiale…)
            ni coordonnées de personnes qui n’ont pas donné leur accord. Les messages sont lus par la commune, les conservateurs du
            département et l’équipe support.
          </p>
        </div>
      </div>
    </div>
  );
}

export function Fil(props: { page: PageDuFil; lecteur: Lecteur; fil: string; vide: string }) {
  const { page } = props;
  if (page.messages.length === 0) {
    return <p class="msg-vide fr-mb-4w">{props.vide}</p>;
  }
  return (
    <section class="msg-fil fr-mb-4w" aria-labelledby="msg-fil-titre">
      <h2 class="fr-h4" id="msg-fil-titre">
        Messages
      </h2>
      {page.plusAnciens !== null ? (
        <p>
          <a class="fr-link fr-icon-arrow-up-line fr-link--icon-left" href={`${props.fil}?avant=${page.plusAnciens}`}>
            Voir les messages plus anciens
          </a>
        </p>
      ) : null}
      <ol class="msg-liste">
        {page.messages.map((message) => (
          <Message key={message.id} message={message} pieces={page.pieces.get(message.id) ?? []} lecteur={props.lecteur} fil={props.fil} />
        ))}
      </ol>
      {page.plusRecents ? (
        <p>
          <a class="fr-link fr-icon-arrow-down-line fr-link--icon-left" href={`${props.fil}#msg-formulaire`}>
            Voir les messages les plus récents
          </a>
        </p>
      ) : null}
    </section>
  );
}

function Message(props: { message: MessageVue; pieces: PieceJointeVue[]; lecteur: Lecteur; fil: string }) {
  const { message } = props;
  const auteur = libelleAuteur({ type: message.author_type, id: message.author_id, nom: message.auteur_nom }, props.lecteur);
  const soi = auteur === "Vous";
  const html = message.body_html ? sanitiserHtml(message.body_html) : "";
  const images = props.pieces.filter((p) => p.kind === "image");
  const fichiers = props.pieces.filter((p) => p.kind === "fichier");
  const repli = [message.signature?.trim(), message.quoted_text?.trim()].filter(Boolean);
  return (
    <li class={`msg-message${soi ? " msg-message--soi" : ""}`} id={`message-${message.id}`}>
      <p class="msg-entete fr-mb-1w">
        <strong>{auteur}</strong>
        <span class="msg-date">
          {" "}
          — <time dateTime={message.date.toISOString()}>{dateMessage(message.date)}</time>
        </span>
      </p>
      {html ? (
        <div class="msg-texte msg-html" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <div class="msg-texte">{message.text || "Le contenu de ce message n’a pas pu être lu."}</div>
      )}
      {repli.length > 0 ? (
        <details class="msg-repli fr-mt-1w">
          <summary>{message.signature ? "Signature et message cité" : "Message cité"}</summary>
          {repli.map((bloc, index) => (
            <div class="msg-texte msg-cite" key={index}>
              {bloc}
            </div>
          ))}
        </details>
      ) : null}
      {images.length > 0 ? (
        <ul class="msg-vignettes">
          {images.map((piece) => (
            <li key={piece.id}>
              <a href={pieceJointeUrl(props.fil, piece.id)}>
                <img
                  src={pieceJointeUrl(props.fil, piece.id, true)}
                  alt={`Photo jointe : ${piece.filename}`}
                  loading="lazy"
                  {...vignetteTaille(piece)}
                />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {fichiers.length > 0 ? (
        <ul class="msg-fichiers">
          {fichiers.map((piece) => (
            <li key={piece.id}>
              <a
                class="fr-link fr-icon-attachment-line fr-link--icon-left"
                href={pieceJointeUrl(props.fil, piece.id)}
                download={piece.filename}
              >
                {piece.filename}
              </a>{" "}
              <span class="fr-hint-text msg-taille">{tailleLisible(piece.byte_size)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {message.omitted_attachments.length > 0 ? (
        <div class="fr-mt-1w">
          <p class="fr-text--sm fr-mb-0">
            {message.omitted_attachments.length === 1
              ? "Une autre pièce jointe n’a pas été conservée :"
              : `${message.omitted_attachments.length} autres pièces jointes n’ont pas été conservées :`}
          </p>
          <ul class="fr-text--sm">
            {message.omitted_attachments.map((piece, index) => (
              <li key={index}>
                {piece.filename} — {piece.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {message.origin === "inbound_email" && message.from_email ? (
        <p class="fr-text--xs fr-mb-0 msg-origine">Ce message a été envoyé par mail depuis l’adresse {message.from_email}.</p>
      ) : null}
    </li>
  );
}

function vignetteTaille(piece: PieceJointeVue): { width?: number; height?: number } {
  if (!piece.width || !piece.height) return {};
  const echelle = Math.min(1, 160 / Math.max(piece.width, piece.height));
  return { width: Math.round(piece.width * echelle), height: Math.round(piece.height * echelle) };
}

/** The new message form: a plain multipart POST (works without JavaScript); the CSRF token is in the action's query string. */
export function FormulaireMessage(props: { action: string; csrfToken: string; etat: EtatFormulaire }) {
  const { etat } = props;
  const action = `${props.action}?_csrf=${encodeURIComponent(props.csrfToken)}`;
  const erreurTexte = etat.erreur !== null && etat.refus.length === 0;
  return (
    <form class="msg-formulaire" id="msg-formulaire" method="post" enctype="multipart/form-data" action={action}>
      <CsrfField token={props.csrfToken} />
      <h2 class="fr-h4">Nouveau message</h2>
      {etat.erreur ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{etat.erreur}</p>
          {etat.refus.length > 0 ? (
            <ul>
              {etat.refus.map((refus, index) => (
                <li key={index}>{refus.filename ? `« ${refus.filename} » : ${refus.reason}` : refus.reason}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div class={`fr-input-group${erreurTexte ? " fr-input-group--error" : ""}`}>
        <label class="fr-label" for="msg-texte">
          Votre message
          <span class="fr-hint-text" id="msg-texte-aide">
            {TEXTE_MAX.toLocaleString("fr-FR")} caractères au plus.
          </span>
        </label>
        <textarea
          class={`fr-input${erreurTexte ? " fr-input--error" : ""}`}
          id="msg-texte"
          name="texte"
          rows={6}
          required
          maxLength={TEXTE_MAX}
          aria-describedby={erreurTexte ? "msg-texte-aide msg-texte-erreur" : "msg-texte-aide"}
        >
          {etat.texte}
        </textarea>
        {erreurTexte ? (
          <p class="fr-error-text" id="msg-texte-erreur">
            {etat.erreur}
          </p>
        ) : null}
      </div>
      <div class={`fr-upload-group${etat.refus.length > 0 ? " fr-upload-group--error" : ""}`}>
        <label class="fr-label" for="msg-fichiers">
          Ajouter des photos ou des fichiers
          <span class="fr-hint-text" id="msg-fichiers-aide">
            Facultatif. Acceptés : {FORMATS_ACCEPTES} ; {PIECES_JOINTES_LIMITES.octets / 1024 / 1024} Mo au plus par fichier,{" "}
            {PIECES_JOINTES_LIMITES.parMessage} fichiers au plus. Les photos sont enregistrées sans leurs métadonnées (position GPS…).
          </span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id="msg-fichiers"
          name="fichiers"
          multiple
          accept="image/*,.heic,.heif,.pdf,.docx,.xlsx,.odt,.ods,.txt"
          aria-describedby="msg-fichiers-aide"
        />
      </div>
      <button type="submit" class="fr-btn fr-mt-3w fr-icon-send-plane-line fr-btn--icon-left">
        Envoyer
      </button>
    </form>
  );
}

/** The commune's or the conservateurs' reply address, for the hint above the thread. */
export function IndicationAdresse(props: { adresse: string; cote: "commune" | "conservateur" }) {
  return (
    <p class="fr-text--sm msg-adresse">
      {props.cote === "commune" ? "Les mails envoyés à l’adresse " : "Les mails envoyés à l’adresse réservée aux conservateurs "}
      <code>{props.adresse}</code> apparaissent aussi dans cette messagerie
      {props.cote === "commune" ? "." : " (ne la communiquez pas à la commune : elle a la sienne)."}
    </p>
  );
}
