import { CsrfField } from "../../comptes/views/components.tsx";
import type { RecensementDuDossier } from "../../dossier/repository.ts";
import { DOSSIER_STATUS_LABELS } from "../../dossier/rules.ts";
import type { DossierStatus } from "../../platform/db/schema.ts";
import { photoUrl } from "../../recensement/photos-repository.ts";
import { ETAT_SANITAIRE_LABELS, phraseLocalisation, SECURISATION_LABELS } from "../../recensement/rules.ts";
import { Pagination, Table } from "../../ui/components.tsx";
import type { DossierAdmin, DossierListe, PhotoAdmin } from "../repository-suivi.ts";

const parisDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });

export function dateCourte(d: Date | null): string {
  return d ? parisDate.format(d) : "—";
}

const BADGES: Record<DossierStatus, string> = {
  construction: "fr-badge--info",
  submitted: "fr-badge--new",
  accepted: "fr-badge--success",
  archived: "",
};

export function BadgeDossier({ status }: { status: DossierStatus }) {
  return <p class={`fr-badge fr-badge--sm ${BADGES[status]}`}>{DOSSIER_STATUS_LABELS[status]}</p>;
}

export function DossiersListe(props: { q: string; status: string; page: number; dossiers: DossierListe[]; suivante: boolean }) {
  const base = `/admin/dossiers?${new URLSearchParams([...(props.q ? [["q", props.q]] : []), ...(props.status ? [["statut", props.status]] : [])])}`;
  return (
    <>
      <h1>Dossiers</h1>
      <form method="get" action="/admin/dossiers" class="fr-mb-4w">
        <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
          <div class="fr-col-12 fr-col-md-5">
            <div class="fr-input-group">
              <label class="fr-label" for="dossiers-q">
                Commune
                <span class="fr-hint-text">Nom ou code INSEE</span>
              </label>
              <input class="fr-input" type="search" id="dossiers-q" name="q" value={props.q} maxLength={100} />
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <div class="fr-select-group">
              <label class="fr-label" for="dossiers-statut">
                État
              </label>
              <select class="fr-select" id="dossiers-statut" name="statut">
                <option value="">Tous</option>
                {(Object.keys(DOSSIER_STATUS_LABELS) as DossierStatus[]).map((s) => (
                  <option key={s} value={s} selected={props.status === s}>
                    {DOSSIER_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="fr-col-12 fr-col-md-3">
            <button class="fr-btn fr-mb-3v" type="submit">
              Rechercher
            </button>
          </div>
        </div>
      </form>
      {props.dossiers.length === 0 ? (
        <p>Aucun dossier ne correspond à cette recherche.</p>
      ) : (
        <Table noCaption>
          <table>
            <caption>Dossiers, les plus récents d’abord</caption>
            <thead>
              <tr>
                <th scope="col">Dossier</th>
                <th scope="col">Commune</th>
                <th scope="col">État</th>
                <th scope="col">Créé le</th>
                <th scope="col">Envoyé le</th>
                <th scope="col">Examiné le</th>
                <th scope="col">Recensements</th>
              </tr>
            </thead>
            <tbody>
              {props.dossiers.map((d) => (
                <tr key={d.id}>
                  <td>
                    <a class="fr-link" href={`/admin/dossiers/${d.id}`}>
                      n° {d.id}
                      <span class="fr-sr-only"> de {d.commune_nom}</span>
                    </a>
                  </td>
                  <td>
                    {d.commune_nom} ({d.code_insee})
                  </td>
                  <td>
                    <BadgeDossier status={d.status} />
                  </td>
                  <td>{dateCourte(d.created_at)}</td>
                  <td>{dateCourte(d.submitted_at)}</td>
                  <td>{dateCourte(d.accepted_at)}</td>
                  <td>{d.recensements_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      )}
      <Pagination base={`${base}${base.endsWith("?") ? "" : "&"}`} page={props.page} hasNext={props.suivante} />
    </>
  );
}

function PhotoExport(props: { dossierId: number; photo: PhotoAdmin; csrf: string; numero: number; objet: string }) {
  const { photo } = props;
  return (
    <li class="fr-mb-2w">
      <img src={photoUrl(photo.id, "vignette", photo.sha256)} alt={`Photo ${props.numero} de ${props.objet}`} width={160} loading="lazy" />
      <p class="fr-text--sm fr-mb-1v">{photo.exportable ? "Incluse dans les exports nationaux" : "Exclue des exports nationaux"}</p>
      {photo.pop_export_id !== null ? (
        <p class="fr-text--xs">Fait partie de l’export Mémoire n° {photo.pop_export_id} : non modifiable.</p>
      ) : (
        <form method="post" action={`/admin/dossiers/${props.dossierId}/photos/${photo.id}/exportabilite`}>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="confirmer" value="oui" />
          <input type="hidden" name="exportable" value={photo.exportable ? "non" : "oui"} />
          <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
            {photo.exportable ? "Exclure des exports nationaux" : "Réintégrer"}
            <span class="fr-sr-only">
              {" "}
              la photo {props.numero} de {props.objet}
            </span>
          </button>
        </form>
      )}
    </li>
  );
}

export function DossierPage(props: {
  dossier: DossierAdmin;
  recensements: RecensementDuDossier[];
  photos: PhotoAdmin[];
  csrf: string;
  erreur?: string | undefined;
  succes?: string | undefined;
}) {
  const { dossier } = props;
  const photosParRecensement = new Map<number, PhotoAdmin[]>();
  for (const p of props.photos) photosParRecensement.set(p.recensement_id, [...(photosParRecensement.get(p.recensement_id) ?? []), p]);
  return (
    <>
      <h1>
        Dossier n° {dossier.id} — {dossier.commune_nom} ({dossier.code_insee})
      </h1>
      {props.succes ? (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <p>{props.succes}</p>
        </div>
      ) : null}
      <BadgeDossier status={dossier.status} />
      <dl class="fr-mt-2w">
        <dt class="fr-text--bold">Commune</dt>
        <dd>
          {dossier.commune_nom}, code INSEE {dossier.code_insee}, département {dossier.departement_code} —{" "}
          <a class="fr-link" href={`/admin/journal?commune=${dossier.code_insee}`}>
            journal de la commune
          </a>
        </dd>
        <dt class="fr-text--bold">Dates</dt>
        <dd>
          Créé le {dateCourte(dossier.created_at)}, envoyé le {dateCourte(dossier.submitted_at)}, examiné le{" "}
          {dateCourte(dossier.accepted_at)}
          {dossier.archived_at ? `, archivé le ${dateCourte(dossier.archived_at)}` : ""}
        </dd>
        {dossier.archive_reason ? (
          <>
            <dt class="fr-text--bold">Raison de l’archivage</dt>
            <dd class="co-texte-libre">{dossier.archive_reason}</dd>
          </>
        ) : null}
        <dt class="fr-text--bold">Conservateur</dt>
        <dd>{dossier.conservateur_nom ? `${dossier.conservateur_nom} (${dossier.conservateur_email ?? ""})` : "Aucun examen"}</dd>
        <dt class="fr-text--bold">Personne ayant recensé</dt>
        <dd>{dossier.recenseur ?? "—"}</dd>
        <dt class="fr-text--bold">Commentaire de la commune</dt>
        <dd class="co-texte-libre">{dossier.notes_commune?.trim() ? dossier.notes_commune : "—"}</dd>
        <dt class="fr-text--bold">Commentaire du conservateur</dt>
        <dd class="co-texte-libre">{dossier.notes_conservateur?.trim() ? dossier.notes_conservateur : "—"}</dd>
      </dl>

      <h2 class="fr-mt-4w">Actions</h2>
      {props.erreur ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <p>{props.erreur}</p>
        </div>
      ) : null}
      {dossier.status === "accepted" ? (
        <form method="post" action={`/admin/dossiers/${dossier.id}/rouvrir`} class="fr-mb-4w">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="confirmer" value="oui" />
          <p>Rouvrir remet le dossier « Non examiné » : le conservateur pourra corriger l’examen et l’envoyer de nouveau.</p>
          <button type="submit" class="fr-btn fr-btn--secondary">
            Rouvrir le dossier
          </button>
        </form>
      ) : null}
      {dossier.status !== "archived" ? (
        <form method="post" action={`/admin/dossiers/${dossier.id}/archiver`} class="fr-mb-4w">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="confirmer" value="oui" />
          <div class={`fr-input-group${props.erreur ? " fr-input-group--error" : ""}`}>
            <label class="fr-label" for="archive-raison">
              Raison de l’archivage (obligatoire)
              <span class="fr-hint-text">
                Visible dans le journal. La commune n’aura plus de dossier en cours et pourra en commencer un nouveau.
              </span>
            </label>
            <textarea class="fr-input" id="archive-raison" name="raison" rows={3} maxLength={1000} required></textarea>
          </div>
          <button type="submit" class="fr-btn fr-btn--tertiary">
            Archiver le dossier
          </button>
        </form>
      ) : (
        <p>Ce dossier est archivé : il n’y a plus d’action possible.</p>
      )}

      <h2 class="fr-mt-4w">Recensements ({props.recensements.length})</h2>
      {props.recensements.length === 0 ? <p>Aucun recensement dans ce dossier.</p> : null}
      {props.recensements.map((r) => {
        const objet = r.palissy_tico ?? r.palissy_deno ?? r.palissy_ref;
        const photos = photosParRecensement.get(r.id) ?? [];
        return (
          <section key={r.id} class="fr-mb-4w" aria-labelledby={`recensement-${r.id}`}>
            <h3 class="fr-h5" id={`recensement-${r.id}`}>
              {objet} <span class="fr-text--sm">({r.palissy_ref})</span>
            </h3>
            <ul>
              <li>État du recensement : {r.status === "completed" ? "complet et validé" : "brouillon"}</li>
              <li>
                Localisation :{" "}
                {r.localisation
                  ? phraseLocalisation(r, r.edifice_initial_nom ?? "l’édifice d’origine", r.autre_commune_nom)
                  : "non renseignée"}
              </li>
              <li>
                État sanitaire : {r.etat_sanitaire ? ETAT_SANITAIRE_LABELS[r.etat_sanitaire] : "—"}
                {r.analyse_etat_sanitaire ? ` (conservateur : ${ETAT_SANITAIRE_LABELS[r.analyse_etat_sanitaire]})` : ""}
              </li>
              <li>
                Sécurisation : {r.securisation ? SECURISATION_LABELS[r.securisation] : "—"}
                {r.analyse_securisation ? ` (conservateur : ${SECURISATION_LABELS[r.analyse_securisation]})` : ""}
              </li>
              {r.notes?.trim() ? <li class="co-texte-libre">Commentaire de la commune : {r.notes}</li> : null}
              {r.analyse_notes?.trim() ? <li class="co-texte-libre">Commentaire du conservateur : {r.analyse_notes}</li> : null}
            </ul>
            {photos.length > 0 ? (
              <ul class="fr-raw-list fr-grid-row fr-grid-row--gutters">
                {photos.map((p, i) => (
                  <PhotoExport key={p.id} dossierId={dossier.id} photo={p} csrf={props.csrf} numero={i + 1} objet={objet} />
                ))}
              </ul>
            ) : (
              <p class="fr-text--sm">Aucune photo.</p>
            )}
          </section>
        );
      })}
    </>
  );
}
