import type { ComponentChildren } from "preact";
import type { EtatSanitaire, Localisation } from "../platform/db/schema.ts";
import {
  A_REGARDER_GENERAL,
  ANCRES,
  CONSEILS_PAR_TYPE,
  CONSEILS_PHOTOS,
  NIVEAUX_ETAT,
  URGENCE_DISPARU,
  URGENCE_PERIL,
  URL_GUIDE,
  VUES_PHOTOS,
  ancreType,
} from "./contenus.ts";
import { typeObjet, typesDansLOrdre } from "./types-objets.ts";
import { TexteGuide } from "./views.tsx";

/** Helps shown inside the questionnaire, taken from the guide's content. */

/** A link to a part of the guide, opened in a new tab so that the questionnaire keeps what was typed. */
export function LienGuide(props: { ancre?: string; children: ComponentChildren }) {
  const href = props.ancre ? `${URL_GUIDE}#${props.ancre}` : URL_GUIDE;
  return (
    <a href={href} target="_blank" rel="noopener">
      {props.children}
      <span class="fr-sr-only"> (nouvelle fenêtre)</span>
    </a>
  );
}

/** The one-line hint of each état level, under its radio button. */
export function resumeEtat(etat: EtatSanitaire): string {
  return NIVEAUX_ETAT[etat].resume;
}

/** "Que regarder pour ce type d’objet ?": the advice for this objet's type first, then links to the others. */
export function AideEtat(props: { objet: { palissy_deno: string | null; palissy_cate: string | null } }) {
  const type = typeObjet(props.objet);
  const conseils = type ? CONSEILS_PAR_TYPE[type] : null;
  const autres = typesDansLOrdre(type).filter((t) => t !== type);
  return (
    <details class="guide-aide fr-mb-3w" data-type-objet={type ?? "autre"}>
      <summary>Que regarder pour ce type d’objet ?</summary>
      <div class="guide-aide__contenu">
        {conseils ? (
          <>
            <h3 class="fr-h6 fr-mb-1w">{conseils.titre}</h3>
            {conseils.attention ? <p class="fr-text--sm">{conseils.attention}</p> : null}
            <ul class="fr-text--sm">
              {conseils.aRegarder.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
            <dl class="guide-definitions guide-definitions--compact fr-text--sm">
              {(Object.keys(NIVEAUX_ETAT) as EtatSanitaire[]).map((etat) => (
                <div key={etat}>
                  <dt>{NIVEAUX_ETAT[etat].titre}</dt>
                  <dd>{conseils.niveaux[etat]}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <>
            <h3 class="fr-h6 fr-mb-1w">Pour tout objet</h3>
            <ul class="fr-text--sm">
              {A_REGARDER_GENERAL.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </>
        )}
        <p class="fr-text--sm fr-mb-1w">{conseils ? "Conseils pour les autres types d’objets :" : "Conseils par type d’objet :"}</p>
        <ul class="guide-aide__types fr-text--sm">
          {autres.map((t) => (
            <li key={t}>
              <LienGuide ancre={ancreType(t)}>{CONSEILS_PAR_TYPE[t].titre}</LienGuide>
            </li>
          ))}
        </ul>
        <p class="fr-text--sm fr-mb-0">
          <LienGuide ancre={ANCRES.etatSanitaire}>Comment juger l’état d’un objet, dans le guide de recensement</LienGuide>
        </p>
      </div>
    </details>
  );
}

/** Step 4: which views to take and how, folded so that the upload stays at hand on a phone. */
export function ConseilsPhotos() {
  return (
    <details class="guide-aide fr-mb-3w">
      <summary>Conseils pour des photos utiles</summary>
      <div class="guide-aide__contenu">
        <p class="fr-text--sm fr-mb-1w">Prenez si possible :</p>
        <ul class="fr-text--sm">
          {VUES_PHOTOS.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <ul class="fr-text--sm">
          {CONSEILS_PHOTOS.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p class="fr-text--sm fr-mb-0">
          <LienGuide ancre={ANCRES.photos}>Prendre des photos utiles, dans le guide de recensement</LienGuide>
        </p>
      </div>
    </details>
  );
}

/**
 * What to do right away when the commune said the objet is missing or en péril: shown open (no JavaScript
 * needed) on the steps that follow the answer.
 */
export function ConseilsUrgence(props: { localisation: Localisation | null; etatSanitaire: EtatSanitaire | null }) {
  const absent = props.localisation === "absent";
  const peril = !absent && props.etatSanitaire === "peril";
  if (!absent && !peril) return null;
  const items = absent ? URGENCE_DISPARU : URGENCE_PERIL;
  return (
    <section class="fr-callout fr-callout--orange-terre-battue guide-urgence fr-mb-4w" aria-labelledby="guide-urgence-titre">
      <h2 class="fr-callout__title fr-h5" id="guide-urgence-titre">
        {absent ? "Objet introuvable : que faire tout de suite ?" : "Objet en péril : que faire tout de suite ?"}
      </h2>
      <ol class="fr-callout__text fr-text--md">
        {items.map((item, index) => (
          <li key={index}>
            <TexteGuide texte={item} />
          </li>
        ))}
      </ol>
      <p class="fr-text--sm fr-mb-0">
        <LienGuide ancre={absent ? ANCRES.objetDisparu : ANCRES.objetEnPeril}>
          {absent ? "Si l’objet est introuvable" : "Si l’objet est en péril"}, dans le guide de recensement
        </LienGuide>
      </p>
    </section>
  );
}
