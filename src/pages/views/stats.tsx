import { KeyFigure, Table } from "../../ui/components.tsx";
import { pluralize } from "../../patrimoine/rules.ts";
import type { Analyse } from "../../analyse/repository.ts";
import { tableauCouverture } from "../../analyse/tableaux.ts";
import { DateDesChiffres, SectionCouverture, SectionEtats, SectionProgression } from "../../analyse/views/analyse.tsx";
import { ANALYSE_TTL_MS } from "../../analyse/rules.ts";
import type { EtatCounts, NationalStats } from "../repository.ts";

const ETAT_LABELS: { key: keyof EtatCounts; label: string }[] = [
  { key: "bon", label: "Bon état" },
  { key: "moyen", label: "État moyen" },
  { key: "mauvais", label: "Mauvais état" },
  { key: "peril", label: "En péril" },
  { key: "non_recensable", label: "Non recensable (inaccessible)" },
  { key: "absent", label: "Introuvable" },
];

export function percent(part: number, total: number): string {
  if (total === 0) return "–";
  return `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format((part * 100) / total)}\u00a0%`;
}

function n(value: number): string {
  return value.toLocaleString("fr-FR");
}

const csvNational = (nom: string) => `/stats/${nom}.csv`;

export function StatsPage(props: { stats: NationalStats; analyse: Analyse; calculeLe: Date }) {
  const { totals, departements, etats, campagnes } = props.stats;
  const { analyse } = props;
  const nomsDepartements = new Map(departements.map((departement) => [departement.code, departement.nom]));
  const totalEtats = ETAT_LABELS.reduce((sum, { key }) => sum + etats[key], 0);
  const avecObjets = departements.filter((departement) => departement.objets > 0);
  const sansObjet = departements.length - avecObjets.length;
  return (
    <>
      <h1>Statistiques</h1>
      <p class="fr-text--lead">
        Où en est le recensement des objets mobiliers protégés au titre des monuments historiques ? Ces chiffres viennent des données de
        Collectif Objets et des bases nationales.
      </p>
      <DateDesChiffres calculeLe={props.calculeLe} delaiMinutes={ANALYSE_TTL_MS / 60_000} />

      <section class="fr-mb-6w" aria-labelledby="chiffres-cles">
        <h2 id="chiffres-cles">Chiffres clés</h2>
        <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
          <li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <KeyFigure
              value={totals.objets}
              label={totals.objets > 1 ? "objets protégés" : "objet protégé"}
              detail={`dans ${pluralize(totals.communes_avec_objets, "commune", "communes")} et ${pluralize(totals.departements_avec_objets, "département", "départements")}`}
            />
          </li>
          <li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <KeyFigure
              value={totals.objets_recenses}
              label={totals.objets_recenses > 1 ? "objets recensés" : "objet recensé"}
              detail={`soit ${percent(totals.objets_recenses, totals.objets)} des objets protégés`}
            />
          </li>
          <li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <KeyFigure
              value={totals.communes_engagees}
              label={totals.communes_engagees > 1 ? "communes engagées" : "commune engagée"}
              detail={`soit ${percent(totals.communes_engagees, totals.communes_avec_objets)} des communes concernées`}
            />
          </li>
          <li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <KeyFigure
              value={campagnes.departements}
              label={campagnes.departements > 1 ? "départements ayant mené une campagne" : "département ayant mené une campagne"}
            />
          </li>
          <li class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
            <KeyFigure
              value={campagnes.en_cours}
              label={campagnes.en_cours > 1 ? "campagnes en cours" : "campagne en cours"}
              detail={pluralize(campagnes.terminees, "campagne terminée", "campagnes terminées")}
            />
          </li>
        </ul>
      </section>

      <section class="fr-mb-6w" aria-labelledby="etat-sanitaire">
        <h2 id="etat-sanitaire">État des objets recensés</h2>
        <p>
          Recensements validés des dossiers en cours ; quand le conservateur a corrigé l’état indiqué par la commune, c’est son appréciation
          qui compte.
        </p>
        <Table noCaption>
          <table>
            <caption>Répartition des recensements par état sanitaire</caption>
            <thead>
              <tr>
                <th scope="col">État</th>
                <th scope="col" class="co-num">
                  Recensements
                </th>
                <th scope="col" class="co-num">
                  Part
                </th>
              </tr>
            </thead>
            <tbody>
              {ETAT_LABELS.map(({ key, label }) => (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td class="co-num">{n(etats[key])}</td>
                  <td class="co-num">{percent(etats[key], totalEtats)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      </section>

      <section aria-labelledby="par-departement">
        <h2 id="par-departement">Par département</h2>
        <Table bordered noCaption>
          <table>
            <caption>Objets protégés, objets recensés et communes engagées par département</caption>
            <thead>
              <tr>
                <th scope="col">Département</th>
                <th scope="col" class="co-num">
                  Objets protégés
                </th>
                <th scope="col" class="co-num">
                  Communes concernées
                </th>
                <th scope="col" class="co-num">
                  Objets recensés
                </th>
                <th scope="col" class="co-num">
                  Part recensée
                </th>
                <th scope="col" class="co-num">
                  Communes engagées
                </th>
              </tr>
            </thead>
            <tbody>
              {avecObjets.map((departement) => (
                <tr key={departement.code}>
                  <th scope="row">
                    {departement.code} – {departement.nom}
                  </th>
                  <td class="co-num">{n(departement.objets)}</td>
                  <td class="co-num">{n(departement.communes_avec_objets)}</td>
                  <td class="co-num">{n(departement.objets_recenses)}</td>
                  <td class="co-num">{percent(departement.objets_recenses, departement.objets)}</td>
                  <td class="co-num">{n(departement.communes_engagees)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">France entière</th>
                <td class="co-num">{n(totals.objets)}</td>
                <td class="co-num">{n(totals.communes_avec_objets)}</td>
                <td class="co-num">{n(totals.objets_recenses)}</td>
                <td class="co-num">{percent(totals.objets_recenses, totals.objets)}</td>
                <td class="co-num">{n(totals.communes_engagees)}</td>
              </tr>
            </tfoot>
          </table>
        </Table>
        {sansObjet > 0 ? (
          <p class="fr-text--sm co-muted">
            {sansObjet > 1 ? `${sansObjet} départements n’ont` : "1 département n’a"} aucun objet protégé enregistré dans Collectif Objets.
          </p>
        ) : null}
      </section>

      <div class="fr-mt-6w">
        <SectionCouverture
          couverture={analyse.couverture}
          tableauDepartements={tableauCouverture(analyse.couvertures, analyse.couverture, nomsDepartements)}
          csv={csvNational}
          niveau={2}
        />
        <SectionEtats etats={analyse.etats} csv={csvNational} niveau={2} />
        <SectionProgression progression={analyse.progression} csv={csvNational} niveau={2} avecDepartement />
      </div>
    </>
  );
}
