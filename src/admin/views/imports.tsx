import type { ComponentChildren } from "preact";
import { CsrfField } from "../../comptes/views/components.tsx";
import type { ImportKind, ImportRunStatus } from "../../platform/db/schema.ts";
import { Pagination } from "../../ui/components.tsx";
import {
  IMPORT_KIND_LABELS,
  IMPORT_STATUS_LABELS,
  IMPORTS_PAR_PAGE,
  type ImportRunDetail,
  type ImportRunLigne,
} from "../repository-imports.ts";

const nombre = new Intl.NumberFormat("fr-FR");
const dateHeure = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "medium" });

/** Labels of the reason keys the importers count (src/import/summary.ts) and of their `details`. */
const RAISONS: Record<string, string> = {
  sans_code_insee: "Sans code INSEE",
  pas_dossier_individuel: "Pas un dossier individuel",
  manquant_ou_vole: "Objet manquant ou volé",
  en_cours_de_traitement: "Notice en cours de traitement",
  propriete_de_l_etat: "Propriété de l’État",
  declasse: "Objet déclassé",
  pas_une_mairie: "Pas une mairie",
  pas_une_mairie_principale: "Pas une mairie principale",
  code_insee_invalide: "Code INSEE invalide",
  plusieurs_mairies_principales: "Plusieurs mairies principales pour le même code INSEE",
  sans_objet: "Commune sans objet protégé",
  edifice_absent: "Édifice inconnu de la plateforme",
  objet_inconnu: "Objet inconnu de la plateforme",
  recensements_archives: "Recensements archivés (objet retiré ou déplacé)",
  recensements_brouillons_supprimes: "Recensements en brouillon supprimés",
  changements_de_commune: "Objets ayant changé de commune",
  edifices_crees: "Édifices créés",
  edifices_supprimes: "Édifices vides supprimés",
};

function libelleRaison(cle: string): string {
  return RAISONS[cle] ?? cle.replace(/_/g, " ");
}

export function duree(ms: number | null): string {
  if (ms === null) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export function BadgeStatut({ status }: { status: ImportRunStatus }) {
  const classe =
    status === "failed"
      ? "fr-badge--error"
      : status === "succeeded"
        ? "fr-badge--success"
        : status === "running"
          ? "fr-badge--info"
          : "fr-badge--new";
  return <p class={`fr-badge fr-badge--sm fr-badge--no-icon ${classe}`}>{IMPORT_STATUS_LABELS[status]}</p>;
}

/** A table wider than a phone screen: the scrolling box is focusable and named for keyboard and screen-reader users. */
function TableDefilante(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="fr-table fr-table--sm adm-imports-table">
      <div class="fr-table__wrapper">
        <div class="fr-table__container" tabIndex={0} role="region" aria-label={props.label}>
          <div class="fr-table__content">{props.children}</div>
        </div>
      </div>
    </div>
  );
}

export type FormulaireImport = { kind: string; erreur?: string | undefined };

function FormulaireDepot(props: { csrfToken: string; formulaire: FormulaireImport; actif: { id: number } | undefined }) {
  const action = `/admin/imports?_csrf=${encodeURIComponent(props.csrfToken)}`;
  return (
    <section class="fr-mb-6w" aria-labelledby="imports-depot-titre">
      <h2 id="imports-depot-titre">Lancer un import</h2>
      <p>
        Déposez un export complet dans son format d’origine (CSV de data.culture.gouv.fr ou de l’annuaire, CSV ou JSON Mémoire). Le fichier
        est vérifié avant tout enregistrement, puis importé en tâche de fond exactement comme par la commande <code>co import</code> ; il
        est supprimé à la fin de l’import.
      </p>
      {props.actif ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
          <p>
            Un import est en cours : <a href={`/admin/imports/${props.actif.id}`}>suivre l’import n° {props.actif.id}</a>. Un seul import à
            la fois.
          </p>
        </div>
      ) : null}
      {props.formulaire.erreur ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h3 class="fr-alert__title">Le fichier n’a pas été importé</h3>
          <p>{props.formulaire.erreur}</p>
        </div>
      ) : null}
      <form method="post" enctype="multipart/form-data" action={action}>
        <CsrfField token={props.csrfToken} />
        <div class="fr-select-group">
          <label class="fr-label" for="import-kind">
            Type d’import
          </label>
          <select class="fr-select" id="import-kind" name="kind" required>
            <option value="" selected={props.formulaire.kind === ""} disabled>
              Choisir le type de fichier
            </option>
            {(Object.keys(IMPORT_KIND_LABELS) as ImportKind[]).map((k) => (
              <option key={k} value={k} selected={props.formulaire.kind === k}>
                {IMPORT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div class="fr-upload-group fr-mb-3w">
          <label class="fr-label" for="import-fichier">
            Fichier à importer
            <span class="fr-hint-text">
              CSV séparé par des points-virgules (Palissy, Mérimée, annuaire) ou CSV/JSON (Mémoire), 1 Go au plus.
            </span>
          </label>
          <input class="fr-upload" type="file" id="import-fichier" name="fichier" accept=".csv,.json,text/csv,application/json" required />
        </div>
        <button class="fr-btn" type="submit">
          Déposer et importer
        </button>
      </form>
    </section>
  );
}

export function ImportsListe(props: {
  kind: string;
  status: string;
  page: number;
  runs: ImportRunLigne[];
  total: number;
  csrfToken: string;
  formulaire: FormulaireImport;
  actif: { id: number } | undefined;
}) {
  const params = new URLSearchParams([
    ...(props.kind ? [["type", props.kind]] : []),
    ...(props.status ? [["resultat", props.status]] : []),
  ]);
  const base = `/admin/imports?${params.toString()}${params.toString() ? "&" : ""}`;
  return (
    <>
      <h1>Imports</h1>
      <FormulaireDepot csrfToken={props.csrfToken} formulaire={props.formulaire} actif={props.actif} />
      <h2 id="imports-historique-titre">Historique des imports</h2>
      <form method="get" action="/admin/imports" class="fr-mb-3w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-4">
            <div class="fr-select-group">
              <label class="fr-label" for="imports-type">
                Type
              </label>
              <select class="fr-select" id="imports-type" name="type">
                <option value="">Tous</option>
                {(Object.keys(IMPORT_KIND_LABELS) as ImportKind[]).map((k) => (
                  <option key={k} value={k} selected={props.kind === k}>
                    {IMPORT_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <div class="fr-select-group">
              <label class="fr-label" for="imports-resultat">
                Résultat
              </label>
              <select class="fr-select" id="imports-resultat" name="resultat">
                <option value="">Tous</option>
                {(Object.keys(IMPORT_STATUS_LABELS) as ImportRunStatus[]).map((s) => (
                  <option key={s} value={s} selected={props.status === s}>
                    {IMPORT_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <button class="fr-btn fr-mb-3v" type="submit">
              Filtrer
            </button>
          </div>
        </div>
      </form>
      <p>
        {props.total === 0
          ? "Aucun import ne correspond à ces filtres."
          : `${nombre.format(props.total)} import${props.total > 1 ? "s" : ""}, du plus récent au plus ancien.`}
      </p>
      {props.runs.length > 0 ? (
        <TableDefilante label="Historique des imports (tableau défilant)">
          <table>
            <caption class="fr-sr-only">Historique des imports</caption>
            <thead>
              <tr>
                <th scope="col">N°</th>
                <th scope="col">Type</th>
                <th scope="col">Fichier</th>
                <th scope="col">Début</th>
                <th scope="col">Fin</th>
                <th scope="col">Durée</th>
                <th scope="col">Résultat</th>
                <th scope="col">Lues</th>
                <th scope="col">Retenues</th>
                <th scope="col">Créées</th>
                <th scope="col">Mises à jour</th>
                <th scope="col">Inchangées</th>
                <th scope="col">Supprimées</th>
                <th scope="col">Hors périmètre</th>
                <th scope="col">Erreurs</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/admin/imports/${r.id}`} aria-label={`Import n° ${r.id}, détail`}>
                      {r.id}
                    </a>
                  </td>
                  <td>{IMPORT_KIND_LABELS[r.kind]}</td>
                  <td class="adm-imports-fichier">{nomCourt(r.source_file)}</td>
                  <td>{dateHeure.format(new Date(r.started_at))}</td>
                  <td>{r.finished_at ? dateHeure.format(new Date(r.finished_at)) : "—"}</td>
                  <td>{duree(r.duration_ms)}</td>
                  <td>
                    <BadgeStatut status={r.status} />
                  </td>
                  <td>{nombre.format(r.read)}</td>
                  <td>{nombre.format(r.in_scope)}</td>
                  <td>{nombre.format(r.created)}</td>
                  <td>{nombre.format(r.updated)}</td>
                  <td>{r.status === "succeeded" ? nombre.format(inchanges(r)) : "—"}</td>
                  <td>{nombre.format(r.deleted)}</td>
                  <td>{nombre.format(horsPerimetre(r))}</td>
                  <td>{nombre.format(r.errors_count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableDefilante>
      ) : null}
      <Pagination base={base} page={props.page} hasNext={props.page * IMPORTS_PAR_PAGE < props.total} />
    </>
  );
}

/** A path given to the command line shows as its file name. */
function nomCourt(fichier: string): string {
  return fichier.split(/[\\/]/).pop() || fichier;
}

function horsPerimetre(r: Pick<ImportRunLigne, "out_of_scope">): number {
  return Object.values(r.out_of_scope ?? {}).reduce((a, b) => a + Number(b), 0);
}

/** Rows kept whose data had not changed since the previous import. */
function inchanges(r: ImportRunLigne): number {
  return Math.max(0, r.in_scope - r.created - r.updated);
}

function Compteurs(props: { titre: string; id: string; entrees: [string, number][]; vide: string }) {
  return (
    <section class="fr-mb-4w" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.titre}</h2>
      {props.entrees.length === 0 ? (
        <p>{props.vide}</p>
      ) : (
        <TableDefilante label={`${props.titre} (tableau défilant)`}>
          <table>
            <caption class="fr-sr-only">{props.titre}</caption>
            <thead>
              <tr>
                <th scope="col">Raison</th>
                <th scope="col">Nombre</th>
              </tr>
            </thead>
            <tbody>
              {props.entrees.map(([cle, n]) => (
                <tr key={cle}>
                  <td>{libelleRaison(cle)}</td>
                  <td>{nombre.format(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableDefilante>
      )}
    </section>
  );
}

export const ERREURS_AFFICHEES = 50;

export function ImportPage(props: { run: ImportRunDetail; demarre: boolean }) {
  const { run } = props;
  const enCours = run.status === "pending" || run.status === "running";
  const erreurs = (run.errors ?? []).map((e) => String(e));
  const details = Object.entries(run.details ?? {}).filter((e): e is [string, number] => typeof e[1] === "number");
  const total = run.rows_total !== null && run.rows_total > 0 ? run.rows_total : null;
  return (
    <>
      <h1>
        Import n° {run.id} : {IMPORT_KIND_LABELS[run.kind]}
      </h1>
      {props.demarre ? (
        <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
          <p>Le fichier a été vérifié et l’import a été lancé. Cette page se met à jour toute seule pendant l’import.</p>
        </div>
      ) : null}
      <BadgeStatut status={run.status} />
      <ul class="fr-mt-2w">
        <li>Fichier : {nomCourt(run.source_file)}</li>
        {run.started_by ? <li>Lancé par : {run.started_by}</li> : null}
        <li>Début : {dateHeure.format(new Date(run.started_at))}</li>
        <li>Fin : {run.finished_at ? dateHeure.format(new Date(run.finished_at)) : "—"}</li>
        <li>Durée : {duree(run.duration_ms)}</li>
      </ul>
      {enCours ? (
        <section class="fr-mb-4w adm-imports-progression" aria-labelledby="import-progression-titre">
          <h2 id="import-progression-titre">Progression</h2>
          <label for="import-progression">
            {run.status === "pending"
              ? "En attente de démarrage."
              : `${nombre.format(run.read)} lignes lues${total ? ` sur environ ${nombre.format(total)}` : ""}.`}
          </label>
          {total ? (
            <progress id="import-progression" max={total} value={Math.min(run.read, total)}>
              {Math.round((100 * Math.min(run.read, total)) / total)} %
            </progress>
          ) : (
            <progress id="import-progression" />
          )}
          <p class="fr-text--sm fr-mt-1w">
            Cette page se recharge toutes les 5 secondes. <a href={`/admin/imports/${run.id}`}>Actualiser maintenant</a>
          </p>
        </section>
      ) : null}
      <section class="fr-mb-4w" aria-labelledby="import-compteurs-titre">
        <h2 id="import-compteurs-titre">Résultat</h2>
        <TableDefilante label="Compteurs de l’import (tableau défilant)">
          <table>
            <caption class="fr-sr-only">Compteurs de l’import</caption>
            <thead>
              <tr>
                <th scope="col">Lignes lues</th>
                <th scope="col">Retenues</th>
                <th scope="col">Créées</th>
                <th scope="col">Mises à jour</th>
                <th scope="col">Inchangées</th>
                <th scope="col">Supprimées</th>
                <th scope="col">Hors périmètre</th>
                <th scope="col">Erreurs</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>{nombre.format(run.read)}</td>
                <td>{nombre.format(run.in_scope)}</td>
                <td>{nombre.format(run.created)}</td>
                <td>{nombre.format(run.updated)}</td>
                <td>{run.status === "succeeded" ? nombre.format(inchanges(run)) : "—"}</td>
                <td>{nombre.format(run.deleted)}</td>
                <td>{nombre.format(horsPerimetre(run))}</td>
                <td>{nombre.format(erreurs.length)}</td>
              </tr>
            </tbody>
          </table>
        </TableDefilante>
      </section>
      <Compteurs
        titre="Lignes hors périmètre, par raison"
        id="import-raisons-titre"
        entrees={Object.entries(run.out_of_scope ?? {})
          .map(([k, v]) => [k, Number(v)] as [string, number])
          .sort((a, b) => b[1] - a[1])}
        vide="Aucune ligne hors périmètre."
      />
      <Compteurs titre="Autres effets de l’import" id="import-details-titre" entrees={details} vide="Rien d’autre à signaler." />
      <section class="fr-mb-4w" aria-labelledby="import-erreurs-titre">
        <h2 id="import-erreurs-titre">Erreurs</h2>
        {erreurs.length === 0 ? (
          <p>Aucune erreur.</p>
        ) : (
          <>
            <p>
              {erreurs.length > ERREURS_AFFICHEES
                ? `Les ${ERREURS_AFFICHEES} premières erreurs sur ${nombre.format(erreurs.length)} :`
                : `${nombre.format(erreurs.length)} erreur${erreurs.length > 1 ? "s" : ""} :`}
            </p>
            <ul class="adm-imports-erreurs">
              {erreurs.slice(0, ERREURS_AFFICHEES).map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </ul>
          </>
        )}
      </section>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="/admin/imports">
          Retour à l’historique des imports
        </a>
      </p>
    </>
  );
}
