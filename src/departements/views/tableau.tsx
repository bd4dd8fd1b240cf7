import { Table } from "../../ui/components.tsx";
import type { EnteteDepartement } from "../entete.tsx";
import type { LigneCommune, PageCommunes } from "../repository.ts";
import {
  FILTRES_STATUT,
  badgeStatutGlobal,
  libelleStatutGlobal,
  nombre,
  nombreDePages,
  pagesAffichees,
  statutsDuFiltre,
  triSuivant,
  urlTableau,
  type ColonneTri,
  type FiltresTableau,
} from "../rules.ts";

const dateCourte = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });

export function communeUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}`;
}

/** "Tableau des communes" tab (RB §5.3 "Vue tableau"): filters, batch acceptance link, sortable table, pagination. */
export function TableauCommunes(props: { entete: EnteteDepartement; filtres: FiltresTableau; resultat: PageCommunes }) {
  const { entete, filtres, resultat } = props;
  const pages = nombreDePages(resultat.total);
  const filtresActifs = filtres.statut !== "a-examiner" || filtres.q !== "";
  return (
    <>
      <Filtres entete={entete} filtres={filtres} />
      {entete.statistiques.acceptablesEnLot > 0 ? (
        <div class="fr-notice fr-notice--info fr-mb-3w">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">
                {entete.statistiques.acceptablesEnLot > 1
                  ? `${nombre(entete.statistiques.acceptablesEnLot)} dossiers transmis n’ont aucun objet en péril ni disparu.`
                  : "1 dossier transmis n’a aucun objet en péril ni disparu."}{" "}
                <a href={`/conservateurs/departements/${entete.code}/acceptation-groupee`}>
                  Accepter en lot les dossiers sans objet en péril ni disparu
                </a>
              </p>
            </div>
          </div>
        </div>
      ) : null}
      <p class="fr-mb-2w" role="status">
        {resultat.total === 0
          ? "Aucune commune trouvée."
          : `${nombre(resultat.total)} ${resultat.total > 1 ? "communes" : "commune"}${pages > 1 ? ` · page ${resultat.page} sur ${pages}` : ""}`}
        {filtresActifs ? (
          <>
            {" "}
            <a class="fr-link fr-ml-1w" href={`/conservateurs/departements/${entete.code}?reinitialiser=1`}>
              Réinitialiser les filtres
            </a>
          </>
        ) : null}
      </p>
      {resultat.total === 0 ? null : (
        <>
          <Table>
            <table class="tdb-table">
              <caption>
                Communes du département ayant des objets protégés
                {pages > 1 ? `, page ${resultat.page} sur ${pages}` : ""}
              </caption>
              <thead>
                <tr>
                  <EnTete code={entete.code} filtres={filtres} colonne="commune" label="Commune" />
                  <EnTete code={entete.code} filtres={filtres} colonne="objets" label="Objets" />
                  <EnTete code={entete.code} filtres={filtres} colonne="peril" label="Objets en péril" />
                  <EnTete code={entete.code} filtres={filtres} colonne="disparus" label="Objets disparus" />
                  <EnTete code={entete.code} filtres={filtres} colonne="examen" label="Examen" />
                  <EnTete code={entete.code} filtres={filtres} colonne="activite" label="Dernière activité" />
                </tr>
              </thead>
              <tbody>
                {resultat.lignes.map((ligne) => (
                  <Ligne key={ligne.code_insee} ligne={ligne} />
                ))}
              </tbody>
            </table>
          </Table>
          <PaginationTableau code={entete.code} filtres={filtres} page={resultat.page} pages={pages} />
        </>
      )}
    </>
  );
}

function Filtres({ entete, filtres }: { entete: EnteteDepartement; filtres: FiltresTableau }) {
  const parStatut = entete.statistiques.parStatut;
  const compte = (value: (typeof FILTRES_STATUT)[number]["value"]) => {
    const statuts = statutsDuFiltre(value);
    return statuts ? statuts.reduce<number>((n, s) => n + parStatut[s], 0) : entete.statistiques.communes;
  };
  return (
    <form method="get" action={`/conservateurs/departements/${entete.code}`} class="tdb-filtres fr-mb-3w">
      {filtres.triExplicite ? (
        <>
          <input type="hidden" name="tri" value={filtres.tri} />
          <input type="hidden" name="ordre" value={filtres.sens} />
        </>
      ) : null}
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12 fr-col-md-5">
          <div class="fr-input-group fr-mb-0">
            <label class="fr-label" for="tdb-q">
              Nom de commune
              <span class="fr-hint-text">Une partie du nom suffit, avec ou sans accents.</span>
            </label>
            <input class="fr-input" type="text" id="tdb-q" name="q" value={filtres.q} maxLength={100} autocomplete="off" />
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <div class="fr-select-group fr-mb-0">
            <label class="fr-label" for="tdb-statut">
              Statut de l’examen
            </label>
            <select class="fr-select" id="tdb-statut" name="statut">
              {FILTRES_STATUT.map((f) => (
                <option key={f.value} value={f.value} selected={f.value === filtres.statut}>
                  {f.label} ({nombre(compte(f.value))})
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="fr-col-12 fr-col-md-3">
          <button class="fr-btn fr-btn--icon-left fr-icon-filter-line" type="submit">
            Rechercher
          </button>
        </div>
      </div>
    </form>
  );
}

/** A sortable column header: a link to the other order, with `aria-sort` on the sorted column. */
function EnTete(props: { code: string; filtres: FiltresTableau; colonne: ColonneTri; label: string }) {
  const { filtres, colonne } = props;
  const courant = filtres.tri === colonne;
  const sens = triSuivant(filtres, colonne);
  const href = urlTableau(props.code, { ...filtres, tri: colonne, sens, triExplicite: true, page: 1 });
  return (
    <th scope="col" aria-sort={courant ? (filtres.sens === "asc" ? "ascending" : "descending") : undefined}>
      <div class="fr-cell--sort">
        <span>{props.label}</span>
        <a
          class={`fr-btn fr-btn--sort fr-btn--sm${courant ? ` fr-btn--sort-${filtres.sens}` : ""}`}
          href={href}
          title={`Trier par ${props.label.toLocaleLowerCase("fr-FR")}, ${sens === "asc" ? "ordre croissant" : "ordre décroissant"}`}
        >
          Trier par {props.label.toLocaleLowerCase("fr-FR")}, {sens === "asc" ? "ordre croissant" : "ordre décroissant"}
        </a>
      </div>
    </th>
  );
}

function Ligne({ ligne }: { ligne: LigneCommune }) {
  return (
    <tr>
      <th scope="row">
        <a href={communeUrl(ligne.code_insee)}>{ligne.nom}</a>
      </th>
      <td>{nombre(ligne.objets_count)}</td>
      <td>{ligne.en_peril_count > 0 ? <BadgePeril n={ligne.en_peril_count} /> : "0"}</td>
      <td>{ligne.disparus_count > 0 ? <BadgeDisparus n={ligne.disparus_count} /> : "0"}</td>
      <td>
        <BadgeStatutGlobal statut={ligne.statut_global} />
      </td>
      <td>
        {ligne.derniere_activite ? (
          dateCourte.format(ligne.derniere_activite)
        ) : (
          <>
            <span aria-hidden="true">—</span>
            <span class="fr-sr-only">Aucune</span>
          </>
        )}
      </td>
    </tr>
  );
}

export function BadgePeril({ n }: { n: number }) {
  return <p class="fr-badge fr-badge--sm fr-badge--error fr-badge--no-icon">{n} en péril</p>;
}

export function BadgeDisparus({ n }: { n: number }) {
  return <p class="fr-badge fr-badge--sm fr-badge--warning fr-badge--no-icon">{n > 1 ? `${n} disparus` : `${n} disparu`}</p>;
}

export function BadgeStatutGlobal({ statut }: { statut: number }) {
  const variante = badgeStatutGlobal(statut);
  return <p class={`fr-badge fr-badge--sm fr-badge--no-icon${variante ? ` ${variante}` : ""}`}>{libelleStatutGlobal(statut)}</p>;
}

/** DSFR pagination with first, previous, numbered, next and last links. */
function PaginationTableau(props: { code: string; filtres: FiltresTableau; page: number; pages: number }) {
  const { page, pages } = props;
  if (pages <= 1) return null;
  const url = (n: number) => urlTableau(props.code, { ...props.filtres, page: n });
  const lien = (n: number, classe: string, label: string, actif: boolean) =>
    actif ? (
      <a class={`fr-pagination__link ${classe}`} href={url(n)}>
        {label}
      </a>
    ) : (
      <a class={`fr-pagination__link ${classe}`} aria-disabled="true" role="link">
        {label}
      </a>
    );
  return (
    <nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pagination du tableau des communes">
      <ul class="fr-pagination__list">
        <li>{lien(1, "fr-pagination__link--first", "Première page", page > 1)}</li>
        <li>{lien(page - 1, "fr-pagination__link--prev fr-pagination__link--lg-label", "Page précédente", page > 1)}</li>
        {pagesAffichees(page, pages).map((n, i) =>
          n === null ? (
            <li key={`ellipse-${i}`}>
              <span class="fr-pagination__link fr-displayed-lg" aria-hidden="true">
                …
              </span>
            </li>
          ) : (
            <li key={n}>
              <a class="fr-pagination__link" href={url(n)} title={`Page ${n}`} aria-current={n === page ? "page" : undefined}>
                {n}
              </a>
            </li>
          ),
        )}
        <li>{lien(page + 1, "fr-pagination__link--next fr-pagination__link--lg-label", "Page suivante", page < pages)}</li>
        <li>{lien(pages, "fr-pagination__link--last", "Dernière page", page < pages)}</li>
      </ul>
    </nav>
  );
}
