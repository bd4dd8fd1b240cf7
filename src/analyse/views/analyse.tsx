import { Pagination } from "../../ui/components.tsx";
import type { Couverture, Etats, ObjetNonVu, Progression } from "../repository.ts";
import {
  ANNEES_COUVERTURE,
  CLASSES_ETAT,
  CLASSES_SECURITE,
  CLASSE_ETAT_LABELS,
  CLASSE_SECURITE_LABELS,
  ETAPES_PROGRESSION,
  ETAPE_PROGRESSION_LABELS,
  OBJETS_NON_VUS_PAR_PAGE,
  formatJour,
  formatNombre,
  formatPourcentage,
  libelleSiecle,
  siecleDeCle,
  type Repartition,
} from "../rules.ts";
import {
  tableauCampagnes,
  tableauCategories,
  tableauEdifices,
  tableauEtats,
  tableauObjetsNonVus,
  tableauProgression,
  tableauSecurite,
  tableauSiecles,
  texteCellule,
  type Tableau,
} from "../tableaux.ts";
import { BarresHorizontales, CourbesSemaines, TableauDonnees, type Serie } from "./graphiques.tsx";

const SERIES_ETAT: Serie[] = CLASSES_ETAT.map((classe) => ({ cle: classe, label: CLASSE_ETAT_LABELS[classe] }));
const SERIES_ETAPES: Serie[] = ETAPES_PROGRESSION.map((etape) => ({ cle: etape, label: ETAPE_PROGRESSION_LABELS[etape] }));
const CATEGORIES_AFFICHEES = 12;

const nombre = formatNombre;

/** The rows of a Tableau, the first cell of each as its row header. */
function Lignes({ tableau }: { tableau: Tableau }) {
  const numerique = (index: number) =>
    tableau.lignes.some((ligne) => typeof ligne[index] === "number" || (ligne[index] !== null && typeof ligne[index] === "object"));
  return (
    <>
      <thead>
        <tr>
          {tableau.entetes.map((entete, index) => (
            <th key={entete} scope="col" class={index > 0 && numerique(index) ? "co-num" : undefined}>
              {entete}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {tableau.lignes.map((ligne, rang) => (
          <tr key={rang}>
            {ligne.map((cellule, index) =>
              index === 0 ? (
                <th key={index} scope="row">
                  {texteCellule(cellule)}
                </th>
              ) : (
                <td key={index} class={typeof cellule === "string" ? "co-texte" : undefined}>
                  {texteCellule(cellule)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </>
  );
}

function valeursEtats(repartition: Repartition): Record<string, number> {
  return { ...repartition.etats };
}

function decrireRepartition(repartition: Repartition): string {
  if (repartition.total === 0) return "Aucun objet recensé.";
  return CLASSES_ETAT.filter((classe) => repartition.etats[classe] > 0)
    .map((classe) => `${CLASSE_ETAT_LABELS[classe]} : ${nombre(repartition.etats[classe])}`)
    .join(", ");
}

const HORODATAGE = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long", timeStyle: "short" });

/** When the figures were computed: they are kept a few minutes, a reader should know they may lag. */
export function DateDesChiffres({ calculeLe, delaiMinutes }: { calculeLe: Date; delaiMinutes: number }) {
  return (
    <p class="fr-text--sm co-muted">
      Chiffres du {HORODATAGE.format(calculeLe)}, recalculés au plus toutes les {delaiMinutes} minutes.
    </p>
  );
}

/**
 * The description of a chart with one bar per row: each row's total only. The split of each bar by état is in
 * the data table that follows the chart, where a screen reader can walk it cell by cell.
 */
function resumerBarres(quoi: string, lignes: readonly (readonly [string, number])[]): string {
  if (lignes.length === 0) return "Aucun objet recensé.";
  const liste = lignes.map(([libelle, total]) => `${libelle} : ${nombre(total)}`).join(" ; ");
  return `${quoi} : ${liste}. La répartition par état sanitaire est donnée dans le tableau qui suit.`;
}

/** Condition and security of the recensed objets, overall and by catégorie, siècle and édifice. */
export function SectionEtats(props: { etats: Etats; csv: (nom: string) => string; niveau: 2 | 3 }) {
  const { etats, csv } = props;
  const { ensemble } = etats;
  const H = props.niveau === 2 ? "h2" : "h3";
  const Sous = props.niveau === 2 ? "h3" : "h4";
  return (
    <section class="fr-mb-6w" aria-labelledby="analyse-etats">
      <H id="analyse-etats">État et sécurité des objets recensés</H>
      <p>
        Pour chaque objet, son dernier recensement validé ; quand le conservateur a corrigé l’état indiqué par la commune, c’est son
        appréciation qui compte. {nombre(ensemble.total)} objet{ensemble.total > 1 ? "s" : ""} recensé{ensemble.total > 1 ? "s" : ""}.
      </p>
      <Sous>État sanitaire</Sous>
      <BarresHorizontales
        id="graphique-etats"
        titre="Objets recensés par état sanitaire"
        description={decrireRepartition(ensemble)}
        series={[{ cle: "n", label: "Objets recensés" }]}
        barres={CLASSES_ETAT.map((classe) => ({ label: CLASSE_ETAT_LABELS[classe], valeurs: { n: ensemble.etats[classe] } }))}
      />
      <TableauDonnees id="tableau-etats" legende="Objets recensés par état sanitaire" csv={csv("etats")}>
        <Lignes tableau={tableauEtats(etats)} />
      </TableauDonnees>

      <Sous>Sécurité</Sous>
      <BarresHorizontales
        id="graphique-securite"
        titre="Objets recensés présents selon leur sécurité"
        description={CLASSES_SECURITE.map((classe) => `${CLASSE_SECURITE_LABELS[classe]} : ${nombre(ensemble.securite[classe])}`).join(
          ", ",
        )}
        series={[{ cle: "n", label: "Objets" }]}
        barres={CLASSES_SECURITE.map((classe) => ({ label: CLASSE_SECURITE_LABELS[classe], valeurs: { n: ensemble.securite[classe] } }))}
      />
      <TableauDonnees id="tableau-securite" legende="Objets recensés présents selon leur sécurité" csv={csv("securite")}>
        <Lignes tableau={tableauSecurite(etats)} />
      </TableauDonnees>

      <Sous>Par catégorie</Sous>
      <p class="fr-text--sm co-muted">Un objet de plusieurs catégories (menuiserie et sculpture, par exemple) compte dans chacune.</p>
      <BarresHorizontales
        id="graphique-categories"
        titre={`État sanitaire des objets recensés, pour les ${CATEGORIES_AFFICHEES} catégories les plus représentées`}
        description={resumerBarres(
          "Objets recensés",
          etats.parCategorie.slice(0, CATEGORIES_AFFICHEES).map(({ cle, repartition }) => [cle, repartition.total]),
        )}
        series={SERIES_ETAT}
        barres={etats.parCategorie
          .slice(0, CATEGORIES_AFFICHEES)
          .map(({ cle, repartition }) => ({ label: cle, valeurs: valeursEtats(repartition) }))}
      />
      <TableauDonnees id="tableau-categories" legende="État et sécurité des objets recensés par catégorie" csv={csv("categories")}>
        <Lignes tableau={tableauCategories(etats)} />
      </TableauDonnees>

      <Sous>Par siècle</Sous>
      <p class="fr-text--sm co-muted">Un objet daté de plusieurs siècles compte dans le plus ancien.</p>
      <BarresHorizontales
        id="graphique-siecles"
        titre="État sanitaire des objets recensés par siècle"
        description={resumerBarres(
          "Objets recensés",
          etats.parSiecle.map(({ cle, repartition }) => [libelleSiecle(siecleDeCle(cle)), repartition.total]),
        )}
        series={SERIES_ETAT}
        barres={etats.parSiecle.map(({ cle, repartition }) => ({
          label: libelleSiecle(siecleDeCle(cle)),
          valeurs: valeursEtats(repartition),
        }))}
      />
      <TableauDonnees id="tableau-siecles" legende="État et sécurité des objets recensés par siècle" csv={csv("siecles")}>
        <Lignes tableau={tableauSiecles(etats)} />
      </TableauDonnees>

      <Sous>Par édifice</Sous>
      <BarresHorizontales
        id="graphique-edifices"
        titre="État sanitaire des objets recensés, pour les édifices qui en comptent le plus"
        description={resumerBarres(
          "Objets recensés",
          etats.parEdifice.map((edifice) => [`${edifice.edifice} (${edifice.commune})`, edifice.repartition.total]),
        )}
        series={SERIES_ETAT}
        barres={etats.parEdifice.map((edifice) => ({
          label: `${edifice.edifice} (${edifice.commune})`,
          valeurs: valeursEtats(edifice.repartition),
        }))}
      />
      <TableauDonnees
        id="tableau-edifices"
        legende="État et sécurité des objets recensés des édifices qui en comptent le plus"
        csv={csv("edifices")}
      >
        <Lignes tableau={tableauEdifices(etats.parEdifice)} />
      </TableauDonnees>
    </section>
  );
}

/** Communes contacted, started, sent and examined, week by week and per campaign. */
export function SectionProgression(props: {
  progression: Progression;
  csv: (nom: string) => string;
  niveau: 2 | 3;
  avecDepartement: boolean;
}) {
  const { progression, csv } = props;
  const H = props.niveau === 2 ? "h2" : "h3";
  const Sous = props.niveau === 2 ? "h3" : "h4";
  const derniere = progression.semaines.at(-1);
  return (
    <section class="fr-mb-6w" aria-labelledby="analyse-progression">
      <H id="analyse-progression">Avancement du recensement</H>
      <p>
        Nombre de communes ayant atteint chaque étape, semaine après semaine (total à la fin de chaque semaine) : contactées par une
        campagne, ayant commencé un recensement, ayant envoyé leur dossier, dont le dossier a été examiné.
      </p>
      <CourbesSemaines
        id="graphique-progression"
        titre="Avancement du recensement semaine par semaine"
        description={
          derniere
            ? `Semaine du ${formatJour(derniere.semaine)} : ${ETAPES_PROGRESSION.map((etape) => `${ETAPE_PROGRESSION_LABELS[etape]} : ${nombre(derniere[etape])}`).join(", ")}.`
            : "Aucune donnée."
        }
        series={SERIES_ETAPES}
        points={progression.semaines.map((semaine) => ({
          label: formatJour(semaine.semaine),
          valeurs: {
            contactees: semaine.contactees,
            commencees: semaine.commencees,
            envoyees: semaine.envoyees,
            examinees: semaine.examinees,
          },
        }))}
      />
      <TableauDonnees id="tableau-progression" legende="Communes ayant atteint chaque étape, par semaine" csv={csv("progression")}>
        <Lignes tableau={tableauProgression(progression)} />
      </TableauDonnees>
      <Sous>Par campagne</Sous>
      {progression.campagnes.length === 0 ? (
        <p>Aucune campagne lancée pour l’instant.</p>
      ) : (
        <>
          <p class="fr-text--sm co-muted">Parmi les communes destinataires, celles qui ont avancé depuis le lancement de la campagne.</p>
          <TableauDonnees id="tableau-campagnes" legende="Avancement des communes destinataires de chaque campagne" csv={csv("campagnes")}>
            <Lignes tableau={tableauCampagnes(progression, props.avecDepartement)} />
          </TableauDonnees>
        </>
      )}
    </section>
  );
}

/** Share of the objets seen in the last 5 years; for a département, the objets seen longest ago. */
export function SectionCouverture(props: {
  couverture: Couverture;
  tableauDepartements?: Tableau;
  nonVus?: { objets: readonly ObjetNonVu[]; page: number; base: string };
  csv: (nom: string) => string;
  niveau: 2 | 3;
}) {
  const { couverture, csv } = props;
  const H = props.niveau === 2 ? "h2" : "h3";
  const Sous = props.niveau === 2 ? "h3" : "h4";
  const nonVus = couverture.objets - couverture.vus;
  return (
    <section class="fr-mb-6w" aria-labelledby="analyse-couverture">
      <H id="analyse-couverture">Couverture du récolement</H>
      <p>
        Un objet est compté comme vu s’il a été recensé sur Collectif Objets depuis {ANNEES_COUVERTURE} ans, ou si sa date de récolement
        dans Palissy date de {ANNEES_COUVERTURE} ans au plus (les années impossibles y sont ignorées).
      </p>
      <p class="co-analyse-chiffre">
        <strong>{formatPourcentage(couverture.vus, couverture.objets)}</strong> des objets protégés vus depuis {ANNEES_COUVERTURE} ans :{" "}
        {nombre(couverture.vus)} sur {nombre(couverture.objets)}.
      </p>
      <BarresHorizontales
        id="graphique-couverture"
        titre={`Objets vus depuis ${ANNEES_COUVERTURE} ans`}
        description={`${nombre(couverture.vus)} objets vus sur ${nombre(couverture.objets)} (${formatPourcentage(couverture.vus, couverture.objets)}) : ${nombre(couverture.vusPlateforme)} recensés sur Collectif Objets, ${nombre(couverture.vusPalissy)} récolés selon Palissy ; ${nombre(nonVus)} non vus.`}
        series={[{ cle: "n", label: "Objets" }]}
        barres={[
          { label: "Vus (l’un ou l’autre)", valeurs: { n: couverture.vus } },
          { label: "Recensés sur Collectif Objets", valeurs: { n: couverture.vusPlateforme } },
          { label: "Récolés selon Palissy", valeurs: { n: couverture.vusPalissy } },
          { label: "Non vus", valeurs: { n: nonVus } },
        ]}
      />
      {props.tableauDepartements ? (
        <TableauDonnees id="tableau-couverture" legende="Objets vus depuis 5 ans par département" csv={csv("couverture")}>
          <Lignes tableau={props.tableauDepartements} />
        </TableauDonnees>
      ) : null}
      {props.nonVus ? (
        <>
          <Sous id="objets-non-vus">Objets vus il y a le plus longtemps</Sous>
          <p class="fr-text--sm co-muted">Les objets jamais vus d’abord, puis par année de la dernière visite connue.</p>
          <TableauDonnees id="tableau-non-vus" legende="Objets vus il y a le plus longtemps" csv={csv("couverture")}>
            <Lignes tableau={tableauObjetsNonVus(props.nonVus.objets)} />
          </TableauDonnees>
          <Pagination
            base={props.nonVus.base}
            page={props.nonVus.page}
            hasNext={props.nonVus.page * OBJETS_NON_VUS_PAR_PAGE < couverture.objets}
          />
        </>
      ) : null}
    </section>
  );
}
