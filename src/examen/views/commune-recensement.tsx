import { CsrfField } from "../../comptes/views/components.tsx";
import { objetTitle, pluralize, type EdificeGroup } from "../../patrimoine/rules.ts";
import { EdificeHeading, EdificeIndex } from "../../patrimoine/views/commune.tsx";
import { ObjetCard } from "../../patrimoine/views/objet-card.tsx";
import { presentationCarte, type BadgeCarte } from "../cartes.ts";
import type { CommuneConservateur, DossierConservateur, ObjetCarteConservateur } from "../commune-repository.ts";
import type { EtatEnvoiExamen } from "../rules.ts";
import { dateLongue } from "./commune-detail.tsx";
import { communeConservateurUrl, envoiExamenUrl, recensementsSupprimesUrl } from "./commune-entete.tsx";

export function reouvertureUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/reouverture`;
}

/** Link-button to the page that sends the examen (RB §5.9). */
export function BoutonEnvoiExamen({ codeInsee }: { codeInsee: string }) {
  return (
    <a class="fr-btn fr-btn--icon-left fr-icon-send-plane-line fr-mt-2w" href={envoiExamenUrl(codeInsee)}>
      Envoyer l’examen à la commune
    </a>
  );
}

/**
 * "Rouvrir le dossier" behind a confirmation that works without JavaScript: the <details> reveals the
 * explanation and the form, which posts `confirmer=oui` (an empty post changes nothing).
 */
function Reouverture(props: { codeInsee: string; csrfToken: string }) {
  return (
    <details class="cc-confirmation fr-mt-2w">
      <summary class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-arrow-go-back-line">Rouvrir le dossier</summary>
      <div class="cc-confirmation__corps">
        <p>
          Rouvrir le dossier vous permet de corriger votre examen : la commune le verra de nouveau « en cours d’examen ». Une fois vos
          corrections faites, pensez à lui envoyer l’examen corrigé et à mettre à jour les bordereaux de récolement.
        </p>
        <form method="post" action={reouvertureUrl(props.codeInsee)}>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="confirmer" value="oui" />
          <button type="submit" class="fr-btn">
            Confirmer la réouverture du dossier
          </button>
        </form>
      </div>
    </details>
  );
}

/** The alert at the top of the Recensement tab, by the state of the dossier (RB §5.6). */
export function AlerteStatut(props: {
  commune: Pick<CommuneConservateur, "code_insee" | "nom">;
  dossier: DossierConservateur | null;
  etat: EtatEnvoiExamen;
  /** Null while a read-only impersonation could not post the form. */
  csrfToken: string | null;
}) {
  const { commune, dossier, etat } = props;
  if (!dossier || dossier.status === "construction") {
    return (
      <div class="fr-callout fr-icon-time-line">
        <h2 class="fr-callout__title">Recensement pas encore envoyé</h2>
        <p class="fr-callout__text">
          {dossier
            ? `${commune.nom} a commencé le recensement de ses objets mais ne l’a pas encore envoyé : vous pourrez l’examiner une fois qu’elle l’aura envoyé.`
            : `${commune.nom} n’a pas encore envoyé de recensement : vous pourrez examiner ses objets une fois qu’elle les aura recensés et vous les aura envoyés.`}
        </p>
      </div>
    );
  }
  if (dossier.status === "accepted") {
    return (
      <div class="fr-callout fr-callout--green-emeraude fr-icon-checkbox-circle-line">
        <h2 class="fr-callout__title">Tous les recensements ont été examinés.</h2>
        <p class="fr-callout__text">
          L’examen a été envoyé à la commune
          {dossier.accepted_at ? ` le ${dateLongue(dossier.accepted_at)}` : ""}
          {dossier.conservateur_nom ? ` par ${dossier.conservateur_nom}` : ""}.
        </p>
        <a class="fr-btn fr-mt-2w" href={communeConservateurUrl(commune.code_insee, "examen")}>
          Voir l’examen
        </a>
        {props.csrfToken ? <Reouverture codeInsee={commune.code_insee} csrfToken={props.csrfToken} /> : null}
      </div>
    );
  }
  if (dossier.replied_automatically_at) {
    return (
      <div class="fr-callout fr-icon-mail-line">
        <h2 class="fr-callout__title">Réponse automatique envoyée à la commune</h2>
        <p class="fr-callout__text">
          {commune.nom} n’a signalé aucun objet en péril ni disparu : elle a reçu le {dateLongue(dossier.replied_automatically_at)} un mail
          automatique la remerciant de son recensement. Vous pouvez tout de même examiner ses recensements, les corriger et lui envoyer
          votre examen pour clore le dossier.
        </p>
        {etat.ok ? <BoutonEnvoiExamen codeInsee={commune.code_insee} /> : null}
      </div>
    );
  }
  if (etat.ok) {
    return (
      <div class="fr-callout fr-icon-checkbox-circle-line">
        <h2 class="fr-callout__title">Prêt à être envoyé</h2>
        <p class="fr-callout__text">
          L’ensemble des objets en péril ou disparus ont été examinés. Vous pouvez envoyer votre examen à la commune.
        </p>
        <BoutonEnvoiExamen codeInsee={commune.code_insee} />
      </div>
    );
  }
  const restants = etat.raison === "prioritaires_restants" ? etat.restants : 0;
  return (
    <div class="fr-callout fr-callout--orange-terre-battue fr-icon-warning-line">
      <h2 class="fr-callout__title">Objets à examiner en priorité</h2>
      <p class="fr-callout__text">
        Il reste {pluralize(restants, "objet en péril ou disparu", "objets en péril ou disparus")} à examiner. Examinez chacun d’eux pour
        pouvoir envoyer votre examen à la commune.
      </p>
    </div>
  );
}

function Badges(props: { examen: BadgeCarte | null; alertes: BadgeCarte[]; tag: string | null }) {
  const badges = [...(props.examen ? [props.examen] : []), ...props.alertes];
  if (badges.length === 0 && !props.tag) return null;
  return (
    <>
      {badges.length > 0 ? (
        <ul class="fr-badges-group">
          {badges.map((badge) => (
            <li key={badge.label}>
              <p class={`fr-badge fr-badge--sm fr-badge--${badge.severite}`}>{badge.label}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {props.tag ? (
        <ul class="fr-tags-group">
          <li>
            <p class="fr-tag fr-tag--sm">{props.tag}</p>
          </li>
        </ul>
      ) : null}
    </>
  );
}

function Citation(props: { titre: string; texte: string | null }) {
  if (!props.texte?.trim()) return null;
  return (
    <div class="fr-col-12 fr-col-md-6">
      <h2 class="fr-h6 fr-mb-1w">{props.titre}</h2>
      <blockquote class="cc-citation">
        <p class="co-texte-libre">{props.texte}</p>
      </blockquote>
    </div>
  );
}

export function RecensementOnglet(props: {
  commune: CommuneConservateur;
  etat: EtatEnvoiExamen;
  groups: EdificeGroup<ObjetCarteConservateur>[];
  count: number;
  csrfToken: string | null;
}) {
  const { commune, groups, count } = props;
  const dossier = commune.dossier;
  const dossierStatus = dossier?.status ?? null;
  return (
    <>
      <div class="fr-mb-4w">
        <AlerteStatut commune={commune} dossier={dossier} etat={props.etat} csrfToken={props.csrfToken} />
      </div>
      {commune.recensements_supprimes > 0 ? (
        <div class="fr-alert fr-alert--warning fr-mb-4w">
          <h2 class="fr-alert__title">
            {commune.recensements_supprimes === 1
              ? "Un recensement a été supprimé automatiquement de ce dossier"
              : `${commune.recensements_supprimes} recensements ont été supprimés automatiquement de ce dossier`}
          </h2>
          <p>
            Lors de la mise à jour des données de Palissy, {commune.recensements_supprimes === 1 ? "un objet a" : "des objets ont"} quitté
            Collectif Objets ou changé de commune.{" "}
            <a href={recensementsSupprimesUrl(commune.code_insee)}>Voir les recensements supprimés</a>
          </p>
        </div>
      ) : null}
      {dossier?.notes_commune?.trim() || dossier?.recenseur?.trim() ? (
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
          <Citation titre="Commentaire de la commune" texte={dossier.notes_commune} />
          <Citation titre="Personne ayant recensé les objets" texte={dossier.recenseur} />
        </div>
      ) : null}
      {count === 0 ? (
        <p>Aucun objet à afficher</p>
      ) : (
        <p class="fr-text--lead">
          {pluralize(count, "objet protégé", "objets protégés")} dans {pluralize(groups.length, "édifice", "édifices")}
        </p>
      )}
      <EdificeIndex groups={groups} />
      {groups.map((group) => (
        <section class="fr-mb-6w" key={group.key} aria-labelledby={group.anchor}>
          <EdificeHeading group={group} />
          <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
            {group.objets.map((objet) => {
              const carte = presentationCarte(dossierStatus, objet);
              return (
                <li class="fr-col-12 fr-col-sm-6 fr-col-md-4 fr-col-lg-3" key={objet.id}>
                  <ObjetCard
                    href={carte.href}
                    title={objetTitle(objet)}
                    details={[`Référence ${objet.palissy_ref}`]}
                    photo={objet.photo}
                    start={<Badges examen={carte.examen} alertes={carte.alertes} tag={carte.tag} />}
                  />
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}
