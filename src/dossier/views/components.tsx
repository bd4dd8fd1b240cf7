import type { EtatSanitaire, Securisation } from "../../platform/db/schema.ts";
import { edificeDisplayName, objetTitle, pluralize, safeImageUrl } from "../../patrimoine/rules.ts";
import { ETAT_SANITAIRE_LABELS, SECURISATION_LABELS } from "../../recensement/rules.ts";
import { Table } from "../../ui/components.tsx";
import type { RecensementDuDossier } from "../repository.ts";
import { evaluation, manquePhotos, type Evaluation } from "../rules.ts";

const parisLongDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });

/** "3 avril 2025", in Paris time whatever the server's zone. */
export function dateLongue(date: Date): string {
  return parisLongDate.format(date);
}

export function objetUrl(codeInsee: string, objetId: number): string {
  return `/communes/${codeInsee}/objets/${objetId}`;
}

export function vignetteUrl(photoId: number): string {
  return `/photos/${photoId}/vignette`;
}

/** "Sans objet" for assistive technologies, a dash on screen. */
export function SansObjet() {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span class="fr-sr-only">Sans objet</span>
    </>
  );
}

/**
 * A value the conservateur corrected: the commune's answer struck through, then the retained one.
 * `<del>`/`<ins>` are not announced by most screen readers, hence the visually hidden words.
 */
export function ValeurEvaluee<V extends string>(props: { evaluation: Evaluation<V>; labels: Record<V, string> }) {
  const { evaluation: e, labels } = props;
  if (e.retenue === null) return <>Non renseigné</>;
  if (!e.corrigee) return <>{labels[e.retenue]}</>;
  return (
    <span class="co-correction">
      <del>
        <span class="fr-sr-only">Réponse de la commune : </span>
        {e.commune === null ? "non renseigné" : labels[e.commune]}
      </del>{" "}
      <ins>
        <span class="fr-sr-only">, corrigée par le conservateur : </span>
        {labels[e.retenue]}
      </ins>
    </span>
  );
}

export function etatEvalue(r: { etat_sanitaire: EtatSanitaire | null; analyse_etat_sanitaire: EtatSanitaire | null }) {
  return evaluation(r.etat_sanitaire, r.analyse_etat_sanitaire);
}

export function securisationEvaluee(r: { securisation: Securisation | null; analyse_securisation: Securisation | null }) {
  return evaluation(r.securisation, r.analyse_securisation);
}

/** Thumbnails of the recensement's photos, in their order. */
export function Vignettes(props: { photos: { id: number }[]; titre: string; size?: number }) {
  const size = props.size ?? 64;
  return (
    <ul class="co-vignettes">
      {props.photos.map((photo, index) => (
        <li key={photo.id}>
          <img
            src={vignetteUrl(photo.id)}
            alt={`Photo ${index + 1} sur ${props.photos.length} de l’objet ${props.titre}`}
            width={size}
            height={size}
            loading="lazy"
          />
        </li>
      ))}
    </ul>
  );
}

function Localisation(props: { recensement: RecensementDuDossier; communeNom: string }) {
  const r = props.recensement;
  const initial = edificeDisplayName(r.edifice_initial_nom, props.communeNom);
  switch (r.localisation) {
    case "edifice_initial":
      return <>{initial}</>;
    case "autre_edifice":
      return (
        <>
          {r.edifice_nom ?? "Édifice non précisé"}
          <span class="fr-hint-text">Déplacé dans un autre édifice de la commune</span>
        </>
      );
    case "deplacement_autre_commune":
      return (
        <>
          {r.edifice_nom ?? "Édifice non précisé"}
          <span class="fr-hint-text">
            Dans une autre commune :{" "}
            {r.autre_commune_nom
              ? `${r.autre_commune_nom} (${r.autre_commune_code_insee})`
              : (r.autre_commune_code_insee ?? "non précisée")}
          </span>
        </>
      );
    case "deplacement_temporaire":
      return (
        <>
          {initial}
          <span class="fr-hint-text">Déplacé temporairement (restauration, exposition…)</span>
        </>
      );
    case "absent":
      return <p class="fr-badge fr-badge--sm fr-badge--warning">Introuvable</p>;
    case null:
      return <>Non renseigné</>;
  }
}

function Photos(props: { recensement: RecensementDuDossier; titre: string }) {
  const r = props.recensement;
  if (r.photos.length > 0) {
    return (
      <>
        <p class="fr-mb-1v">{pluralize(r.photos.length, "photo", "photos")}</p>
        <Vignettes photos={r.photos} titre={props.titre} />
      </>
    );
  }
  if (manquePhotos(r)) return <p class="fr-badge fr-badge--sm fr-badge--warning">Aucune photo</p>;
  return <SansObjet />;
}

/** The summary of the recensements (RB §4.6), on the completion page and on "Données envoyées". */
export function RecensementsTable(props: { codeInsee: string; communeNom: string; recensements: RecensementDuDossier[]; caption: string }) {
  // The heading is shown above the table and repeated in a visually hidden caption: a visible caption, placed
  // absolutely by the DSFR script, would widen the page beyond a 360 px screen.
  return (
    <>
      <h2 class="fr-h4 fr-mt-4w fr-mb-0">{props.caption}</h2>
      <Table bordered noCaption>
        <table class="co-recensements">
          <caption>{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Objet</th>
              <th scope="col">Localisation</th>
              <th scope="col">Recensable</th>
              <th scope="col">État de l’objet</th>
              <th scope="col">Sécurisation</th>
              <th scope="col">Photos</th>
            </tr>
          </thead>
          <tbody>
            {props.recensements.map((r) => {
              const titre = objetTitle(r);
              const illustration = safeImageUrl(r.palissy_photo?.url);
              return (
                <tr key={r.id}>
                  <th scope="row">
                    <div class="co-recensements__objet">
                      {illustration ? <img src={illustration} alt="" width={64} height={48} loading="lazy" /> : null}
                      <span>
                        <a href={objetUrl(props.codeInsee, r.objet_id)}>{titre}</a>
                        <span class="fr-hint-text">{r.palissy_ref}</span>
                      </span>
                    </div>
                  </th>
                  <td>
                    <Localisation recensement={r} communeNom={props.communeNom} />
                  </td>
                  <td>{r.recensable === null ? "Non renseigné" : r.recensable ? "Recensable" : "Impossible"}</td>
                  <td>
                    {r.recensable === false ? <SansObjet /> : <ValeurEvaluee evaluation={etatEvalue(r)} labels={ETAT_SANITAIRE_LABELS} />}
                  </td>
                  <td>
                    {r.recensable === false ? (
                      <SansObjet />
                    ) : (
                      <ValeurEvaluee evaluation={securisationEvaluee(r)} labels={SECURISATION_LABELS} />
                    )}
                  </td>
                  <td>
                    <Photos recensement={r} titre={titre} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Table>
    </>
  );
}

/** Free text typed by a person: line breaks kept, escaped by the renderer. */
export function TexteLibre(props: { text: string | null; fallback: string }) {
  if (!props.text) return <p class="co-muted">{props.fallback}</p>;
  return <p class="co-texte-libre">{props.text}</p>;
}
