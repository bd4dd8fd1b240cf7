import { pluralize } from "../../patrimoine/rules.ts";
import { Table } from "../../ui/components.tsx";
import { VISITE_LABELS } from "../rules.ts";
import { ORDRE_PAR_DEFAUT, type Ordre, type TriVisites, type VisitePrevue } from "../visites-repository.ts";
import { dateCourte } from "./commune-detail.tsx";
import { communeConservateurUrl } from "./commune-entete.tsx";
import { BadgeVisite } from "./commune-examen.tsx";

export const VISITES_URL = "/conservateurs/visites";
export const VISITES_CSV_URL = "/conservateurs/visites.csv";

export const COLONNES_VISITES: { tri: TriVisites; label: string }[] = [
  { tri: "commune", label: "Commune" },
  { tri: "departement", label: "Département" },
  { tri: "objets", label: "Nombre d’objets" },
  { tri: "prioritaires", label: "Objets prioritaires" },
  { tri: "deplacement", label: "Déplacement" },
  { tri: "envoi", label: "Examen envoyé le" },
  { tri: "par", label: "Par" },
];

export function visitesUrl(base: string, tri: TriVisites, ordre: Ordre): string {
  return `${base}?tri=${tri}&ordre=${ordre}`;
}

/**
 * A sortable column header: the link sorts by this column (or flips the order when it is the current
 * one). `aria-sort` sits on the header cell, where assistive technologies expect it.
 */
function EnTeteTriable(props: { tri: TriVisites; label: string; courant: TriVisites; ordre: Ordre }) {
  const actif = props.tri === props.courant;
  const prochain: Ordre = actif ? (props.ordre === "asc" ? "desc" : "asc") : ORDRE_PAR_DEFAUT[props.tri];
  return (
    <th scope="col" aria-sort={actif ? (props.ordre === "asc" ? "ascending" : "descending") : "none"}>
      <div class="fr-cell--sort">
        <span class="fr-cell__title">{props.label}</span>
        <a
          class={`fr-btn fr-btn--sm ${actif ? (props.ordre === "asc" ? "fr-btn--sort-asc" : "fr-btn--sort-desc") : "fr-btn--sort"}`}
          href={visitesUrl(VISITES_URL, props.tri, prochain)}
          title={`Trier par ordre ${prochain === "asc" ? "croissant" : "décroissant"}`}
        >
          Trier par « {props.label} » par ordre {prochain === "asc" ? "croissant" : "décroissant"}
        </a>
      </div>
    </th>
  );
}

export function VisitesPage(props: { visites: VisitePrevue[]; tri: TriVisites; ordre: Ordre }) {
  const { visites } = props;
  return (
    <>
      <h1>Déplacements prévus</h1>
      <p>
        Les communes que vous ou vos collègues avez marquées pour un déplacement en leur envoyant l’examen de leur recensement, dans vos
        départements. Cette information n’est jamais montrée aux communes.
      </p>
      {visites.length === 0 ? (
        <p>Aucune visite prévue</p>
      ) : (
        <>
          <p class="fr-mb-2w">
            <a class="fr-link fr-icon-download-line fr-link--icon-left" href={visitesUrl(VISITES_CSV_URL, props.tri, props.ordre)} download>
              Télécharger en CSV
            </a>
          </p>
          <Table noCaption>
            <table>
              <caption>{pluralize(visites.length, "commune à visiter", "communes à visiter")}</caption>
              <thead>
                <tr>
                  {COLONNES_VISITES.map((colonne) => (
                    <EnTeteTriable key={colonne.tri} tri={colonne.tri} label={colonne.label} courant={props.tri} ordre={props.ordre} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {visites.map((v) => (
                  <tr key={v.code_insee}>
                    <td>
                      <a href={communeConservateurUrl(v.code_insee)}>
                        {v.commune_nom} ({v.code_insee})
                      </a>
                    </td>
                    <td>
                      {v.departement_code} - {v.departement_nom}
                    </td>
                    <td>{v.objets_count.toLocaleString("fr-FR")}</td>
                    <td>{v.prioritaires.toLocaleString("fr-FR")}</td>
                    <td>
                      <BadgeVisite visite={v.visit} small />
                    </td>
                    <td>{v.accepted_at ? dateCourte(v.accepted_at) : "—"}</td>
                    <td>{v.conservateur_nom ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        </>
      )}
    </>
  );
}

/** A spreadsheet would run a cell starting with one of these as a formula (CSV injection). */
const DEBUT_DE_FORMULE = /^[=+\-@\t\r]/;

export function celluleSure(value: string): string {
  return DEBUT_DE_FORMULE.test(value) ? `'${value}` : value;
}

export const ENTETES_CSV = [
  "Commune",
  "Code INSEE",
  "Département",
  "Nombre d’objets",
  "Objets prioritaires",
  "Déplacement",
  "Examen envoyé le",
  "Par",
];

/** The rows of the CSV export, every cell a string already guarded against formulas. */
export function lignesCsv(visites: VisitePrevue[]): string[][] {
  return visites.map((v) =>
    [
      v.commune_nom,
      v.code_insee,
      `${v.departement_code} - ${v.departement_nom}`,
      String(v.objets_count),
      String(v.prioritaires),
      VISITE_LABELS[v.visit],
      v.accepted_at ? dateCourte(v.accepted_at) : "",
      v.conservateur_nom ?? "",
    ].map(celluleSure),
  );
}
