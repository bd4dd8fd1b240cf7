import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { Onglets } from "../ui/onglets.tsx";
import { findDonneesEntete, type DonneesEntete } from "./repository.ts";
import { nombre, phraseCampagne, pourcentage } from "./rules.ts";

/** What every page of a département's dashboard shows above its tabs. */
export type EnteteDepartement = DonneesEntete;

export type OngletDepartement = "tableau" | "carte" | "activite" | "alertes" | "analyse" | "exports";

/** The header's data in one statement (département, campaign, figures). */
export async function findEnteteDepartement(db: Kysely<DB>, code: string): Promise<EnteteDepartement | undefined> {
  return findDonneesEntete(db, code);
}

/** H1, campaign line, statistics and the tabs of the département dashboard; each tab is its own URL. */
export function EnteteDepartement({ entete, onglet }: { entete: EnteteDepartement; onglet: OngletDepartement }) {
  const base = `/conservateurs/departements/${entete.code}`;
  return (
    <>
      <h1>
        {entete.code} - {entete.nom}
      </h1>
      <p class="fr-text--lead fr-mb-3w">
        {phraseCampagne(entete.campagne)}{" "}
        {entete.campagne ? (
          <a class="fr-link" href={`/conservateurs/departements/${entete.code}/campagnes/courante`}>
            Voir la campagne
          </a>
        ) : (
          <a class="fr-link" href={`/conservateurs/departements/${entete.code}/campagnes/nouvelle`}>
            Créer une campagne
          </a>
        )}
      </p>
      <Statistiques entete={entete} />
      <Onglets
        label="Vues du département"
        items={[
          { href: base, label: "Tableau des communes", current: onglet === "tableau" },
          { href: `${base}/carte`, label: "Carte", current: onglet === "carte" },
          { href: `${base}/activite`, label: "Activité", current: onglet === "activite" },
          { href: `${base}/alertes`, label: "Alertes", current: onglet === "alertes" },
          { href: `${base}/analyse`, label: "Analyse", current: onglet === "analyse" },
          { href: `${base}/exports`, label: "Exports", current: onglet === "exports" },
        ]}
      />
    </>
  );
}

const ETATS = [
  { cle: "peril", label: "En péril" },
  { cle: "mauvais", label: "Mauvais état" },
  { cle: "moyen", label: "État moyen" },
  { cle: "bon", label: "Bon état" },
] as const;

function Statistiques({ entete }: { entete: EnteteDepartement }) {
  const s = entete.statistiques;
  const titreId = `statistiques-${entete.code}`;
  return (
    <section class="tdb-stats fr-mb-4w" aria-labelledby={titreId}>
      <h2 class="fr-h6 fr-mb-2w" id={titreId}>
        Statistiques du département
      </h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-4">
          <p class="fr-mb-0">
            Communes recenseuses : <strong>{pourcentage(s.communesRecenseuses, s.communes)}&nbsp;%</strong>
          </p>
          <p class="fr-text--sm fr-mb-0">
            Soit {nombre(s.communesRecenseuses)} {s.communesRecenseuses > 1 ? "communes" : "commune"} sur {nombre(s.communes)}.
          </p>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <p class="fr-mb-0">
            Objets recensés : <strong>{pourcentage(s.objetsRecenses, s.objets)}&nbsp;%</strong>
          </p>
          <p class="fr-text--sm fr-mb-0">
            Soit {nombre(s.objetsRecenses)} {s.objetsRecenses > 1 ? "objets" : "objet"} sur {nombre(s.objets)}.
          </p>
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <EtatsSanitaires code={entete.code} etats={s.etats} />
        </div>
      </div>
    </section>
  );
}

/** Stacked bar drawn in SVG (sizes as attributes: the CSP forbids inline styles), its figures repeated in text. */
function EtatsSanitaires({ code, etats }: { code: string; etats: EnteteDepartement["statistiques"]["etats"] }) {
  const total = ETATS.reduce((n, e) => n + etats[e.cle], 0);
  const titreId = `etats-${code}`;
  let x = 0;
  return (
    <figure class="tdb-etats fr-m-0" aria-labelledby={titreId}>
      <figcaption class="fr-mb-1v" id={titreId}>
        État sanitaire des objets recensés
      </figcaption>
      {total === 0 ? (
        <p class="fr-text--sm fr-mb-0">Aucun état sanitaire renseigné pour l’instant.</p>
      ) : (
        <>
          <svg class="tdb-barre" width="100%" height="16" aria-hidden="true" focusable="false">
            {ETATS.map((e) => {
              const width = (etats[e.cle] / total) * 100;
              const rect = <rect key={e.cle} class={`tdb-barre--${e.cle}`} x={`${x}%`} y="0" width={`${width}%`} height="16" />;
              x += width;
              return rect;
            })}
          </svg>
          <ul class="tdb-legende fr-text--sm fr-mb-0">
            {ETATS.map((e) => (
              <li key={e.cle}>
                <span class={`tdb-pastille tdb-pastille--${e.cle}`} aria-hidden="true" />
                {e.label} : {nombre(etats[e.cle])} ({pourcentage(etats[e.cle], total)}&nbsp;%)
              </li>
            ))}
          </ul>
        </>
      )}
    </figure>
  );
}
