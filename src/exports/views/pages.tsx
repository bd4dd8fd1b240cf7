import { CsrfField } from "../../comptes/views/components.tsx";
import { objetTitle } from "../../patrimoine/rules.ts";
import { photoUrl } from "../../recensement/photos-repository.ts";
import { Pagination, Table } from "../../ui/components.tsx";
import type { ExportMemoire, PhotoMemoireVue } from "../repository.ts";
import { dateFr, nomFichierMemoire, nump, type TypeMpp } from "../rules.ts";

const nombre = new Intl.NumberFormat("fr-FR");
const dateHeure = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });

function pluriel(n: number, singulier: string, plurielMot = `${singulier}s`): string {
  return `${nombre.format(n)} ${n > 1 ? plurielMot : singulier}`;
}

export const TITRES_MPP: Record<TypeMpp, string> = {
  deplaces: "Objets déplacés",
  manquants: "Objets manquants",
};

export type CompteursExports = {
  deplaces: number;
  manquants: number;
  recensements: number;
  photosExportables: number;
  photosExclues: number;
  exportsMemoire: number;
};

/** The exports of a département: what each file holds, how many rows, and its link. */
export function ExportsIndex({ base, compteurs }: { base: string; compteurs: CompteursExports }) {
  return (
    <>
      <h2>Exports vers les bases nationales</h2>
      <p>
        Les données validées lors des examens peuvent être reversées aux bases nationales du patrimoine : Palissy (via la Médiathèque du
        patrimoine et de la photographie) et Mémoire. Les fichiers sont produits à la demande, à partir des données actuelles.
      </p>
      <Table>
        <table>
          <caption>Exports disponibles</caption>
          <thead>
            <tr>
              <th scope="col">Export</th>
              <th scope="col">Contenu</th>
              <th scope="col">Lignes</th>
              <th scope="col">Fichier</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">
                <a href={`${base}/deplaces`}>{TITRES_MPP.deplaces}</a>
              </th>
              <td>Objets des examens envoyés, trouvés dans un autre édifice, une autre commune ou déplacés temporairement.</td>
              <td>{nombre.format(compteurs.deplaces)}</td>
              <td>
                <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${base}/deplaces.csv`}>
                  CSV pour la MPP
                </a>
              </td>
            </tr>
            <tr>
              <th scope="row">
                <a href={`${base}/manquants`}>{TITRES_MPP.manquants}</a>
              </th>
              <td>Objets des examens envoyés que la commune n’a pas trouvés.</td>
              <td>{nombre.format(compteurs.manquants)}</td>
              <td>
                <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${base}/manquants.csv`}>
                  CSV pour la MPP
                </a>
              </td>
            </tr>
            <tr>
              <th scope="row">Recensements du département</th>
              <td>
                Un recensement par ligne (brouillons et complets, examens en cours et passés) : objet, réponses de la commune, avis du
                conservateur, état du dossier et liens.
              </td>
              <td>{nombre.format(compteurs.recensements)}</td>
              <td>
                <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${base}/recensements.xlsx`}>
                  Tableur (XLSX)
                </a>
              </td>
            </tr>
            <tr>
              <th scope="row">
                <a href={`${base}/memoire`}>Photos pour Mémoire</a>
              </th>
              <td>
                Photos des recensements examinés, à verser dans la base Mémoire : une archive ZIP et son tableau CSV.{" "}
                {pluriel(compteurs.exportsMemoire, "export déjà produit", "exports déjà produits")}.
              </td>
              <td>{pluriel(compteurs.photosExportables, "photo à exporter", "photos à exporter")}</td>
              <td>
                <a class="fr-link" href={`${base}/memoire`}>
                  Préparer un export
                </a>
              </td>
            </tr>
          </tbody>
        </table>
      </Table>
    </>
  );
}

export function MppApercu(props: {
  base: string;
  type: TypeMpp;
  colonnes: readonly string[];
  lignes: string[][];
  total: number;
  page: number;
  hasNext: boolean;
}) {
  const { base, type, colonnes, lignes, total, page, hasNext } = props;
  return (
    <>
      <h2>{TITRES_MPP[type]}</h2>
      <p>
        {pluriel(total, "objet")}, examen le plus récent en premier.{" "}
        <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${base}/${type}.csv`}>
          Télécharger le CSV
        </a>
      </p>
      {lignes.length === 0 ? (
        <p>Aucun objet pour l’instant.</p>
      ) : (
        <Table noCaption>
          <table>
            <caption>
              {TITRES_MPP[type]}, page {page}
            </caption>
            <thead>
              <tr>
                {colonnes.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lignes.map((ligne, i) => (
                <tr key={i}>
                  {ligne.map((cellule, j) => (
                    <td key={j}>{j === ligne.length - 1 ? <a href={cellule}>Rapport</a> : cellule}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      )}
      <Pagination base={`${base}/${type}?`} page={page} hasNext={hasNext} />
    </>
  );
}

const ETATS_EXPORT: Record<ExportMemoire["status"], string> = {
  pending: "En cours de génération…",
  ready: "Prêt",
  failed: "Échec",
};

function EtatExport({ e }: { e: ExportMemoire }) {
  const classe = e.status === "ready" ? "fr-badge--success" : e.status === "failed" ? "fr-badge--error" : "fr-badge--info";
  return <p class={`fr-badge fr-badge--sm ${classe} fr-mb-0`}>{ETATS_EXPORT[e.status]}</p>;
}

function CellulePhoto({ photo }: { photo: PhotoMemoireVue }) {
  return (
    <img
      src={photoUrl(photo.photo_id, "vignette", photo.sha256)}
      alt={`Photo de ${objetTitle(photo)}`}
      width={Math.min(120, photo.width)}
      loading="lazy"
    />
  );
}

function LignePhoto({
  photo,
  base,
  csrfToken,
  action,
}: {
  photo: PhotoMemoireVue;
  base: string;
  csrfToken?: string;
  action?: "exclure" | "reintegrer";
}) {
  return (
    <tr>
      <td>
        <CellulePhoto photo={photo} />
      </td>
      <td>
        <a href={`/objets/${encodeURIComponent(photo.palissy_ref)}`}>{photo.palissy_ref}</a>
        <br />
        {objetTitle(photo)}
      </td>
      <td>
        {photo.commune_nom} ({photo.code_insee})
      </td>
      <td>
        {photo.original_filename ?? "—"}
        <br />
        {photo.width} × {photo.height} px, {nombre.format(Math.round(photo.byte_size / 1024))} Ko
      </td>
      <td>{photo.numero !== null && photo.annee !== null ? nump(photo.annee, photoDepartement(photo), photo.numero) : "—"}</td>
      <td>{[photo.notes, photo.analyse_notes].filter(Boolean).join(" — ") || "—"}</td>
      {action && csrfToken ? (
        <td>
          <form method="post" action={`${base}/memoire/photos/${photo.photo_id}/${action}`}>
            <CsrfField token={csrfToken} />
            <input type="hidden" name="confirmer" value="oui" />
            <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
              {action === "exclure" ? "Exclure de l’export" : "Réintégrer"}
              <span class="fr-sr-only">
                {" "}
                : photo de {objetTitle(photo)} ({photo.palissy_ref})
              </span>
            </button>
          </form>
        </td>
      ) : null}
    </tr>
  );
}

function photoDepartement(photo: PhotoMemoireVue): string {
  return photo.code_insee.startsWith("97") ? photo.code_insee.slice(0, 3) : photo.code_insee.slice(0, 2);
}

function TableauPhotos(props: {
  caption: string;
  photos: PhotoMemoireVue[];
  base: string;
  csrfToken?: string;
  action?: "exclure" | "reintegrer";
}) {
  return (
    <Table>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Photo</th>
            <th scope="col">Objet</th>
            <th scope="col">Commune</th>
            <th scope="col">Fichier</th>
            <th scope="col">NUMP</th>
            <th scope="col">Commentaires</th>
            {props.action ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.photos.map((photo) => (
            <LignePhoto key={photo.photo_id} photo={photo} base={props.base} csrfToken={props.csrfToken} action={props.action} />
          ))}
        </tbody>
      </table>
    </Table>
  );
}

export function MemoirePage(props: {
  base: string;
  csrfToken: string;
  exportables: number;
  exclues: number;
  exports: ExportMemoire[];
  photos: PhotoMemoireVue[];
  photosExclues: PhotoMemoireVue[];
  page: number;
  hasNext: boolean;
  erreur?: string;
}) {
  const { base, csrfToken, exportables, exclues, exports, photos, page, hasNext } = props;
  return (
    <>
      <h2>Photos pour Mémoire</h2>
      <p>
        Sont exportables les photos des recensements complets des examens envoyés, qui ne font partie d’aucun export et n’ont pas été
        exclues. Chaque photo reçoit une seule fois son numéro Mémoire (NUMP) dans le département : elle le garde même si l’export est
        supprimé puis refait.
      </p>
      <ul>
        <li>
          <strong>{pluriel(exportables, "photo à exporter", "photos à exporter")}</strong>
        </li>
        <li>{pluriel(exclues, "photo exclue", "photos exclues")}</li>
      </ul>

      <h3>Exports déjà produits</h3>
      {exports.length === 0 ? (
        <p>Aucun export pour l’instant.</p>
      ) : (
        <Table>
          <table>
            <caption>Exports Mémoire du département</caption>
            <thead>
              <tr>
                <th scope="col">Créé le</th>
                <th scope="col">Photos</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {exports.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={`${base}/memoire/${e.id}`}>{dateHeure.format(e.created_at)}</a>
                  </td>
                  <td>{nombre.format(e.photos_count)}</td>
                  <td>
                    <EtatExport e={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      )}

      <h3>Nouvel export</h3>
      {props.erreur ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>{props.erreur}</p>
        </div>
      ) : null}
      {exportables === 0 ? (
        <p>Aucune photo n’est à exporter pour l’instant.</p>
      ) : (
        <form method="post" action={`${base}/memoire`} class="fr-mb-4w">
          <CsrfField token={csrfToken} />
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">Générer l’export de {pluriel(exportables, "photo")}</legend>
            <div class="fr-fieldset__element">
              <div class="fr-checkbox-group">
                <input type="checkbox" id="confirmer" name="confirmer" value="oui" required />
                <label class="fr-label" for="confirmer">
                  Je confirme : ces photos seront liées au nouvel export et ne seront plus proposées aux exports suivants (sauf si l’export
                  est supprimé).
                </label>
              </div>
            </div>
          </fieldset>
          <button class="fr-btn" type="submit">
            Générer l’export
          </button>
        </form>
      )}

      {photos.length > 0 ? (
        <TableauPhotos caption={`Photos à exporter, page ${page}`} photos={photos} base={base} csrfToken={csrfToken} action="exclure" />
      ) : null}
      <Pagination base={`${base}/memoire?`} page={page} hasNext={hasNext} />

      {props.photosExclues.length > 0 ? (
        <>
          <h3>Photos exclues</h3>
          <TableauPhotos
            caption="Photos exclues des exports (les 50 premières)"
            photos={props.photosExclues}
            base={base}
            csrfToken={csrfToken}
            action="reintegrer"
          />
        </>
      ) : null}
    </>
  );
}

export function ExportMemoireView(props: {
  base: string;
  csrfToken: string;
  exportRow: ExportMemoire;
  photos: PhotoMemoireVue[];
  page: number;
  hasNext: boolean;
}) {
  const { base, csrfToken, exportRow: e, photos, page, hasNext } = props;
  const url = `${base}/memoire/${e.id}`;
  const nom = nomFichierMemoire(e.departement_code, e.created_at);
  return (
    <>
      <h2>Export Mémoire du {dateHeure.format(e.created_at)}</h2>
      <div class="fr-mb-2w">
        <EtatExport e={e} />
      </div>
      <p>
        {pluriel(e.photos_count, "photo")}.{e.generated_at ? ` Fichiers produits le ${dateFr(e.generated_at)}.` : ""}
      </p>
      {e.status === "ready" ? (
        <ul>
          <li>
            <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${url}/csv`}>
              {nom}.csv
            </a>
          </li>
          <li>
            <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`${url}/zip`}>
              {nom}.zip
            </a>
          </li>
        </ul>
      ) : e.status === "failed" ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w">
          <p>La génération a échoué{e.error ? ` : ${e.error}` : ""}. Supprimez l’export puis recommencez.</p>
        </div>
      ) : (
        <p>Les fichiers sont en cours de génération… Rechargez la page dans quelques instants.</p>
      )}
      <form method="post" action={`${url}/supprimer`} class="fr-mb-4w">
        <CsrfField token={csrfToken} />
        <div class="fr-checkbox-group fr-mb-2w">
          <input type="checkbox" id="confirmer" name="confirmer" value="oui" required />
          <label class="fr-label" for="confirmer">
            Je confirme la suppression : ses photos redeviendront exportables (elles gardent leur numéro).
          </label>
        </div>
        <button class="fr-btn fr-btn--secondary" type="submit">
          Supprimer l’export
        </button>
      </form>
      {photos.length > 0 ? <TableauPhotos caption={`Photos de l’export, page ${page}`} photos={photos} base={base} /> : null}
      <Pagination base={`${url}?`} page={page} hasNext={hasNext} />
    </>
  );
}
