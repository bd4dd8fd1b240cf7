import { CsrfField } from "../../comptes/views/components.tsx";
import { etatSanitaireRetenu, ordreDuRapport } from "../../dossier/rules.ts";
import type { Fiche } from "../../fiches/fiches.ts";
import { objetTitle, pluralize } from "../../patrimoine/rules.ts";
import type { EtatSanitaire } from "../../platform/db/schema.ts";
import { ETAT_SANITAIRE_LABELS } from "../../recensement/rules.ts";
import { Table } from "../../ui/components.tsx";
import { modifieParLeConservateur, NOTES_CONSERVATEUR_MAX, type CommuneEnvoi, type RecensementEnvoi } from "../acceptation.ts";
import { MESSAGES_ENVOI_IMPOSSIBLE, prioritairesRestants, type EtatEnvoiExamen } from "../rules.ts";
import { ReouvertureForm } from "./envoi-reouverture.tsx";

export type ChoixVisite = "aucune" | "souhaitable" | "prioritaire";
export const CHOIX_VISITE: readonly ChoixVisite[] = ["aucune", "souhaitable", "prioritaire"];
const CHOIX_VISITE_LABELS: Record<ChoixVisite, string> = {
  aucune: "Pas de visite prévue",
  souhaitable: "Visite souhaitable",
  prioritaire: "Visite prioritaire",
};

export type SaisieEnvoi = { notes: string; visite: string };
export type ErreursEnvoi = Partial<Record<"notes" | "visite", string>>;
export type ApercuMail = { from: string; subject: string; text: string; source: "enregistre" | "saisi" };

export function envoiExamenUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/envoi-examen`;
}
export function communeConservateurUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}`;
}
export function examenRecensementUrl(recensementId: number): string {
  return `/conservateurs/recensements/${recensementId}/examen`;
}

const ETAT_SEVERITE: Record<EtatSanitaire, string> = {
  bon: "fr-badge--success",
  moyen: "fr-badge--info",
  mauvais: "fr-badge--warning",
  peril: "fr-badge--error",
};

/** "État retenu": the conservateur's override wins; the commune's answer is shown struck through. */
function EtatRetenu({ r }: { r: RecensementEnvoi }) {
  if (r.localisation === "absent") return <p class="fr-badge fr-badge--sm fr-badge--error">Disparu</p>;
  if (r.recensable === false) return <p class="fr-badge fr-badge--sm">Recensement impossible</p>;
  const retenu = etatSanitaireRetenu(r);
  if (retenu === null) return <>Non renseigné</>;
  const corrige = r.analyse_etat_sanitaire !== null && r.analyse_etat_sanitaire !== r.etat_sanitaire;
  return (
    <>
      <p class={`fr-badge fr-badge--sm ${ETAT_SEVERITE[retenu]}`}>{ETAT_SANITAIRE_LABELS[retenu]}</p>
      {corrige ? (
        <p class="fr-hint-text fr-mt-1v fr-mb-0">
          Corrigé par le conservateur. Réponse de la commune :{" "}
          <del>{r.etat_sanitaire === null ? "non renseigné" : ETAT_SANITAIRE_LABELS[r.etat_sanitaire]}</del>
        </p>
      ) : null}
    </>
  );
}

function FichesRecommandees({ r, fiches }: { r: RecensementEnvoi; fiches: Map<string, Fiche> }) {
  const titres = r.analyse_fiches.map((id) => fiches.get(id)?.titre).filter((t): t is string => !!t);
  if (titres.length === 0) return <span class="co-muted">Aucune fiche</span>;
  return (
    <ul class="env-fiches">
      {titres.map((titre) => (
        <li key={titre}>{titre}</li>
      ))}
    </ul>
  );
}

function TableauRecensements({ recensements, fiches }: { recensements: RecensementEnvoi[]; fiches: Map<string, Fiche> }) {
  const caption = `Objets recensés par la commune (${recensements.length})`;
  return (
    <>
      <h2 class="fr-h4 fr-mb-0">{caption}</h2>
      <Table bordered noCaption>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Objet</th>
              <th scope="col">État retenu</th>
              <th scope="col">Fiches</th>
              <th scope="col">Modifications du conservateur</th>
            </tr>
          </thead>
          <tbody>
            {recensements.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <a href={examenRecensementUrl(r.id)}>{objetTitle(r)}</a>
                  <span class="fr-hint-text">{r.palissy_ref}</span>
                </th>
                <td>
                  <EtatRetenu r={r} />
                </td>
                <td>
                  <FichesRecommandees r={r} fiches={fiches} />
                </td>
                <td>{modifieParLeConservateur(r) ? "Oui" : "Non"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Table>
    </>
  );
}

function BrouillonsArchives({ brouillons }: { brouillons: RecensementEnvoi[] }) {
  if (brouillons.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--warning fr-mb-4w" id="brouillons">
      <h2 class="fr-alert__title">
        {brouillons.length > 1
          ? `${brouillons.length} recensements n’ont pas été terminés par la commune`
          : "Un recensement n’a pas été terminé par la commune"}
      </h2>
      <p>
        {brouillons.length > 1 ? "Ils seront archivés" : "Il sera archivé"} à l’envoi de l’examen : conservé
        {brouillons.length > 1 ? "s" : ""} dans l’historique du dossier, mais ni envoyé{brouillons.length > 1 ? "s" : ""} à la commune, ni
        repris dans l’examen.
      </p>
      <ul>
        {brouillons.map((r) => (
          <li key={r.id}>
            {objetTitle(r)} ({r.palissy_ref})
          </li>
        ))}
      </ul>
    </div>
  );
}

function ErrorSummary({ erreurs }: { erreurs: ErreursEnvoi }) {
  const items = [
    erreurs.visite ? { anchor: "visite-aucune", text: erreurs.visite } : null,
    erreurs.notes ? { anchor: "notes_conservateur", text: erreurs.notes } : null,
  ].filter((item) => item !== null);
  if (items.length === 0) return null;
  return (
    <div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
      <h2 class="fr-alert__title">
        {items.length > 1 ? `Le formulaire contient ${items.length} erreurs` : "Le formulaire contient une erreur"}
      </h2>
      <ul>
        {items.map((item) => (
          <li key={item.anchor}>
            <a href={`#${item.anchor}`}>{item.text}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Apercu({ apercu }: { apercu: ApercuMail }) {
  return (
    <details class="env-apercu fr-mb-4w" id="apercu" open={apercu.source === "saisi"}>
      <summary>Prévisualiser le mail envoyé à la commune</summary>
      <p class="fr-hint-text fr-mt-2w">
        {apercu.source === "saisi"
          ? "Aperçu avec le commentaire saisi ci-dessus (il n’est pas encore enregistré)."
          : "Aperçu avec le commentaire actuellement enregistré. Pour voir votre nouveau commentaire, utilisez « Prévisualiser le mail avec ce commentaire »."}
      </p>
      <dl class="env-apercu__entete">
        <dt>De</dt>
        <dd>{apercu.from}</dd>
        <dt>Objet</dt>
        <dd>{apercu.subject}</dd>
      </dl>
      <pre class="env-apercu__texte">{apercu.text}</pre>
    </details>
  );
}

function ChoixDeVisite({ valeur, erreur }: { valeur: string; erreur: string | undefined }) {
  return (
    <fieldset
      class={`fr-fieldset${erreur ? " fr-fieldset--error" : ""}`}
      id="visite"
      aria-labelledby={`visite-legende${erreur ? " visite-messages" : ""}`}
      role={erreur ? "group" : undefined}
    >
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="visite-legende">
        Faut-il prévoir une visite sur place ?
        <span class="fr-hint-text">
          Pour organiser vos déplacements (« Mes actions »). La commune ne voit jamais ce choix : il n’apparaît ni dans le mail ni dans
          l’examen.
        </span>
      </legend>
      {CHOIX_VISITE.map((choix) => (
        <div class="fr-fieldset__element" key={choix}>
          <div class="fr-radio-group">
            <input type="radio" id={`visite-${choix}`} name="visite" value={choix} checked={valeur === choix} />
            <label class="fr-label" for={`visite-${choix}`}>
              {CHOIX_VISITE_LABELS[choix]}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id="visite-messages" aria-live="polite">
        {erreur ? <p class="fr-message fr-message--error">{erreur}</p> : null}
      </div>
    </fieldset>
  );
}

/** Why the examen cannot be sent, with what to do next. */
function EnvoiImpossible(props: {
  etat: Extract<EtatEnvoiExamen, { ok: false }>;
  commune: CommuneEnvoi;
  recensements: RecensementEnvoi[];
  csrfToken: string;
}) {
  const { etat, commune } = props;
  if (etat.raison === "deja_examine") {
    return (
      <>
        <div class="fr-alert fr-alert--info fr-mb-4w">
          <h2 class="fr-alert__title">{MESSAGES_ENVOI_IMPOSSIBLE.deja_examine}</h2>
          <p>Pour corriger l’examen, rouvrez d’abord le dossier.</p>
        </div>
        <ReouvertureForm codeInsee={commune.code_insee} csrfToken={props.csrfToken} />
      </>
    );
  }
  const restants = etat.raison === "prioritaires_restants" ? prioritairesRestants(props.recensements) : [];
  return (
    <div class="fr-alert fr-alert--warning fr-mb-4w">
      <h2 class="fr-alert__title">L’examen ne peut pas encore être envoyé</h2>
      <p>{MESSAGES_ENVOI_IMPOSSIBLE[etat.raison]}</p>
      {restants.length > 0 ? (
        <>
          <p>
            {pluralize(restants.length, "objet signalé en péril ou disparu reste", "objets signalés en péril ou disparus restent")} à
            examiner :
          </p>
          <ul>
            {restants.map((r) => (
              <li key={r.id}>
                <a href={examenRecensementUrl(r.id)}>
                  {objetTitle(r)} ({r.palissy_ref})
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** RB §5.9 "Examen du recensement pour <commune>": summary, drafts to archive, comment, mail preview, visit. */
export function EnvoiExamenPage(props: {
  commune: CommuneEnvoi;
  etat: EtatEnvoiExamen;
  recensements: RecensementEnvoi[];
  fiches: Fiche[];
  saisie: SaisieEnvoi;
  erreurs: ErreursEnvoi;
  apercu: ApercuMail | null;
  csrfToken: string;
}) {
  const { commune, etat, saisie, erreurs } = props;
  const fiches = new Map(props.fiches.map((fiche) => [fiche.id as string, fiche]));
  const recenses = ordreDuRapport(props.recensements.filter((r) => r.status === "completed"));
  const brouillons = props.recensements.filter((r) => r.status === "draft");
  return (
    <>
      <h1>Examen du recensement pour {commune.nom}</h1>
      <ErrorSummary erreurs={erreurs} />
      {etat.ok ? (
        <p class="fr-text--lead">
          Vérifiez votre examen avant de l’envoyer : la commune recevra un mail et pourra le consulter en ligne. Pour modifier l’examen d’un
          objet, ouvrez-le depuis le tableau.
        </p>
      ) : (
        <EnvoiImpossible etat={etat} commune={commune} recensements={props.recensements} csrfToken={props.csrfToken} />
      )}
      {recenses.length > 0 ? <TableauRecensements recensements={recenses} fiches={fiches} /> : null}
      {etat.ok ? (
        <>
          <BrouillonsArchives brouillons={brouillons} />
          <form method="post" action={envoiExamenUrl(commune.code_insee)} class="fr-mt-4w" novalidate>
            <CsrfField token={props.csrfToken} />
            <div class={`fr-input-group${erreurs.notes ? " fr-input-group--error" : ""}`}>
              <label class="fr-label" for="notes_conservateur">
                Commentaire global pour la commune
                <span class="fr-hint-text" id="notes_conservateur-hint">
                  Facultatif. Il est cité dans le mail envoyé à la commune et figure en tête de l’examen.{" "}
                  {NOTES_CONSERVATEUR_MAX.toLocaleString("fr-FR")} caractères au plus.
                </span>
              </label>
              <textarea
                class={`fr-input${erreurs.notes ? " fr-input--error" : ""}`}
                id="notes_conservateur"
                name="notes_conservateur"
                rows={6}
                maxLength={NOTES_CONSERVATEUR_MAX}
                aria-invalid={erreurs.notes ? "true" : undefined}
                aria-describedby={erreurs.notes ? "notes_conservateur-hint notes_conservateur-error" : "notes_conservateur-hint"}
                value={saisie.notes}
              />
              {erreurs.notes ? (
                <p class="fr-error-text" id="notes_conservateur-error">
                  {erreurs.notes}
                </p>
              ) : null}
            </div>
            {/* First submit button of the form: Enter in a field previews, it never sends the examen. */}
            <button type="submit" class="fr-btn fr-btn--secondary fr-btn--sm fr-mb-3w" name="action" value="previsualiser">
              Prévisualiser le mail avec ce commentaire
            </button>
            {props.apercu ? <Apercu apercu={props.apercu} /> : null}
            <ChoixDeVisite valeur={saisie.visite} erreur={erreurs.visite} />
            <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
              <li>
                <button type="submit" class="fr-btn" name="action" value="envoyer">
                  Finaliser et envoyer l’examen à la commune
                </button>
              </li>
              <li>
                <a class="fr-btn fr-btn--tertiary" href={communeConservateurUrl(commune.code_insee)}>
                  Revenir à la commune
                </a>
              </li>
            </ul>
          </form>
        </>
      ) : (
        <p class="fr-mt-4w">
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={communeConservateurUrl(commune.code_insee)}>
            Revenir à la commune
          </a>
        </p>
      )}
    </>
  );
}
