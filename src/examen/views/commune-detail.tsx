import { etatEvalue, securisationEvaluee, TexteLibre, ValeurEvaluee } from "../../dossier/views/components.tsx";
import type { Fiche } from "../../fiches/fiches.ts";
import { edificeDisplayName, objetTitle, pluralize } from "../../patrimoine/rules.ts";
import { ETAT_SANITAIRE_LABELS, phraseLocalisation, SECURISATION_LABELS } from "../../recensement/rules.ts";
import type { RecensementDetaille } from "../commune-repository.ts";

const parisDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });
const parisDateHeure = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const parisDateCourte = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });

/** "3 avril 2025", Paris time. */
export function dateLongue(date: Date): string {
  return parisDate.format(date);
}

/** "03/04/2025 14:05", Paris time. */
export function dateHeure(date: Date): string {
  return parisDateHeure.format(date).replace(",", "");
}

/** "03/04/2025", Paris time. */
export function dateCourte(date: Date): string {
  return parisDateCourte.format(date);
}

export function titreRecensement(r: RecensementDetaille): string {
  if (r.titre?.trim() || r.palissy_deno || r.palissy_cate) {
    return objetTitle({
      palissy_ref: r.palissy_ref,
      palissy_tico: r.titre,
      palissy_deno: r.palissy_deno,
      palissy_cate: r.palissy_cate,
      palissy_scle: r.palissy_scle,
    });
  }
  return r.palissy_ref;
}

/** Thumbnails linking to the larger variant (readable without JavaScript). */
function Photos(props: { recensement: RecensementDetaille; titre: string }) {
  const photos = props.recensement.photos;
  if (photos.length === 0) return <p class="fr-badge fr-badge--sm fr-badge--warning">Aucune photo de recensement</p>;
  return (
    <>
      <p class="fr-mb-1w">{pluralize(photos.length, "photo de recensement", "photos de recensement")}</p>
      <ul class="cc-vignettes">
        {photos.map((photo, index) => (
          <li key={photo.id}>
            <a href={photo.affichageUrl}>
              <img
                src={photo.vignetteUrl}
                alt={`Photo ${index + 1} sur ${photos.length} de l’objet ${props.titre} (agrandir)`}
                width={96}
                height={96}
                loading="lazy"
              />
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * The answers of one recensement and the conservateur's examen, as the rapport lays them out: used for
 * archived dossiers (Historique) and for the recensements the synchronisation removed.
 */
export function RecensementDetailleVue(props: {
  recensement: RecensementDetaille;
  communeNom: string;
  fiches: Fiche[];
  titre?: string;
  headingLevel: 3 | 4;
}) {
  const r = props.recensement;
  const titre = titreRecensement(r);
  const Heading = props.headingLevel === 3 ? "h3" : "h4";
  const fiches = r.analyse_fiches.map((id) => props.fiches.find((f) => f.id === id)).filter((f): f is Fiche => f !== undefined);
  return (
    <article class="cc-detail fr-mb-4w">
      <Heading class="fr-h6 fr-mb-1w">{props.titre ?? titre}</Heading>
      <p class="fr-mb-1w">Référence Palissy : {r.palissy_ref}</p>
      <Photos recensement={r} titre={titre} />
      <dl class="co-attributes">
        <div>
          <dt>Où se trouve l’objet ?</dt>
          <dd>{phraseLocalisation(r, edificeDisplayName(r.edifice_initial_nom, props.communeNom), r.autre_commune_nom)}</dd>
        </div>
        {r.localisation !== "absent" ? (
          <div>
            <dt>L’objet peut-il être recensé ?</dt>
            <dd>{r.recensable === null ? "Non renseigné" : r.recensable ? "Oui" : "Non, l’objet n’est pas recensable"}</dd>
          </div>
        ) : null}
        {r.recensable === true ? (
          <>
            <div>
              <dt>Dans quel état est l’objet ?</dt>
              <dd>
                <ValeurEvaluee evaluation={etatEvalue(r)} labels={ETAT_SANITAIRE_LABELS} />
              </dd>
            </div>
            <div>
              <dt>Est-il facile de voler cet objet ?</dt>
              <dd>
                <ValeurEvaluee evaluation={securisationEvaluee(r)} labels={SECURISATION_LABELS} />
              </dd>
            </div>
          </>
        ) : null}
        <div>
          <dt>Commentaire de la commune</dt>
          <dd>
            <TexteLibre text={r.notes} fallback="Aucun commentaire" />
          </dd>
        </div>
        <div>
          <dt>Commentaire du conservateur</dt>
          <dd>
            <TexteLibre text={r.analyse_notes} fallback={r.analysed_at ? "Aucun commentaire" : "Recensement non examiné"} />
          </dd>
        </div>
        <div>
          <dt>Fiches conseil</dt>
          <dd>
            {fiches.length === 0 ? (
              "Aucune fiche conseillée"
            ) : (
              <ul>
                {fiches.map((fiche) => (
                  <li key={fiche.id}>
                    <a href={`/fiches/${fiche.id}`}>{fiche.titre}</a>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </article>
  );
}
