import type { RecensementAOrdonner } from "../analyse.ts";
import { rangDePriorite } from "../analyse.ts";
import type { EtatEnvoiExamen } from "../rules.ts";
import { MESSAGES_ENVOI_IMPOSSIBLE } from "../rules.ts";
import { examenUrl } from "./examen-photos.tsx";
import { communeConservateurUrl } from "./examen-recensement.tsx";

/** "Votre examen a bien été sauvegardé" (RB §5.7): what is left before the examen can be sent. */
export function ExamenSauvegardePage(props: {
  recensementId: number;
  objetTitre: string;
  codeInsee: string;
  communeNom: string;
  prioritaires: RecensementAOrdonner[];
  envoi: EtatEnvoiExamen;
}) {
  const { prioritaires, communeNom } = props;
  const n = prioritaires.length;
  return (
    <>
      <h1 class="fr-h2">Votre examen a bien été sauvegardé</h1>
      <p>
        Vous pouvez modifier l’examen de «{"\u00a0"}
        <a href={examenUrl(props.recensementId)}>{props.objetTitre}</a>
        {"\u00a0"}» tant que vous n’avez pas envoyé l’examen à la commune.
      </p>
      {n > 0 ? (
        <section class="fr-mt-4w" aria-labelledby="ex-restants-titre">
          <h2 class="fr-h4" id="ex-restants-titre">
            {n > 1
              ? `Il reste ${n} objets signalés en péril ou disparus à examiner à ${communeNom}`
              : `Il reste 1 objet signalé en péril ou disparu à examiner à ${communeNom}`}
          </h2>
          <ul class="ex-restants">
            {prioritaires.map((r) => (
              <li key={r.id}>
                {rangDePriorite(r) === 0 ? (
                  <p class="fr-badge fr-badge--sm fr-badge--error">En péril</p>
                ) : (
                  <p class="fr-badge fr-badge--sm fr-badge--warning">Disparu</p>
                )}{" "}
                <a href={examenUrl(r.id)}>{r.titre}</a>
                <span class="fr-hint-text">{r.edifice}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : props.envoi.ok ? (
        <div class="fr-callout fr-mt-4w">
          <p class="fr-callout__text">
            L’ensemble des objets en péril ou disparus ont été examinés. Vous pouvez envoyer votre examen à la commune, ou examiner d’abord
            les autres objets.
          </p>
          <a class="fr-btn fr-mt-2w" href={`${communeConservateurUrl(props.codeInsee)}/envoi-examen`}>
            Envoyer l’examen à la commune
          </a>
        </div>
      ) : (
        <div class="fr-alert fr-alert--info fr-mt-4w">
          <p>{MESSAGES_ENVOI_IMPOSSIBLE[props.envoi.raison]}</p>
        </div>
      )}
      <p class="fr-mt-4w">
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={communeConservateurUrl(props.codeInsee)}>
          Retour à la liste des recensements
        </a>
      </p>
    </>
  );
}
