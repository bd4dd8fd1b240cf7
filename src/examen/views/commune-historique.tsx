import type { Fiche } from "../../fiches/fiches.ts";
import { pluralize } from "../../patrimoine/rules.ts";
import { Pagination, Table } from "../../ui/components.tsx";
import type { DossierArchive, EvenementHistorique } from "../commune-repository.ts";
import { changements, libelleAction, libelleActeur } from "../historique.ts";
import { dateHeure, dateLongue, RecensementDetailleVue } from "./commune-detail.tsx";
import { communeConservateurUrl } from "./commune-entete.tsx";

function Changements({ evenement }: { evenement: EvenementHistorique }) {
  const liste = changements(evenement.before, evenement.after);
  if (liste.length === 0) return null;
  return (
    <dl class="cc-changements">
      {liste.map((c) => (
        <div key={c.cle}>
          <dt>{c.libelle}</dt>
          <dd>
            {c.avant !== null && c.apres !== null ? (
              <>
                <span class="fr-sr-only">avant : </span>
                {c.avant} <span aria-hidden="true">→</span>
                <span class="fr-sr-only">, après : </span> {c.apres}
              </>
            ) : (
              (c.apres ?? c.avant)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Evenements(props: { codeInsee: string; evenements: EvenementHistorique[]; page: number; suivante: boolean }) {
  if (props.evenements.length === 0) {
    return <p>{props.page === 1 ? "Aucune action n’a encore été enregistrée pour cette commune." : "Cette page est vide."}</p>;
  }
  return (
    <>
      <Table noCaption>
        <table>
          <caption>Actions enregistrées pour cette commune, page {props.page}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Par</th>
              <th scope="col">Action</th>
              <th scope="col">Modifications</th>
            </tr>
          </thead>
          <tbody>
            {props.evenements.map((e) => (
              <tr key={e.id}>
                <td class="cc-nowrap">
                  <time dateTime={e.occurred_at.toISOString()}>{dateHeure(e.occurred_at)}</time>
                </td>
                <td>{libelleActeur(e)}</td>
                <td>{libelleAction(e.action)}</td>
                <td>
                  <Changements evenement={e} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Table>
      <Pagination base={`${communeConservateurUrl(props.codeInsee, "historique")}?`} page={props.page} hasNext={props.suivante} />
    </>
  );
}

function DossierArchiveVue(props: { dossier: DossierArchive; communeNom: string; fiches: Fiche[]; ouvert: boolean }) {
  const { dossier } = props;
  const recensements = dossier.recensements;
  return (
    <section class="fr-mb-6w cc-archive" aria-labelledby={`archive-${dossier.id}`}>
      <h3 id={`archive-${dossier.id}`}>
        {dossier.archived_at ? `Recensement archivé le ${dateLongue(dossier.archived_at)}` : "Recensement archivé"}
      </h3>
      <p>
        {dossier.submitted_at ? `Envoyé par la commune le ${dateLongue(dossier.submitted_at)}. ` : "Jamais envoyé par la commune. "}
        {dossier.accepted_at
          ? `Examen envoyé le ${dateLongue(dossier.accepted_at)}${dossier.conservateur_nom ? ` par ${dossier.conservateur_nom}` : ""}.`
          : "Aucun examen n’avait été envoyé."}
      </p>
      <h4 class="fr-h6 fr-mb-1w">Commentaire du conservateur</h4>
      {dossier.notes_conservateur?.trim() ? (
        <blockquote class="cc-citation">
          <p class="co-texte-libre">{dossier.notes_conservateur}</p>
        </blockquote>
      ) : (
        <p class="co-muted">Aucun commentaire</p>
      )}
      <details class="cc-details-archive" open={props.ouvert}>
        <summary>Voir le détail des {pluralize(recensements.length, "recensement", "recensements")}</summary>
        {recensements.length === 0 ? <p>Aucun recensement complet dans ce dossier.</p> : null}
        {recensements.map((r) => (
          <RecensementDetailleVue key={r.id} recensement={r} communeNom={props.communeNom} fiches={props.fiches} headingLevel={4} />
        ))}
      </details>
    </section>
  );
}

/** Tab "Historique" (RB §5.11): the commune's audit events, then its archived dossiers. */
export function HistoriqueOnglet(props: {
  codeInsee: string;
  communeNom: string;
  evenements: EvenementHistorique[];
  page: number;
  suivante: boolean;
  archives: DossierArchive[];
  fiches: Fiche[];
}) {
  return (
    <>
      <section class="fr-mb-6w" aria-labelledby="historique-actions">
        <h2 id="historique-actions">Actions sur la commune</h2>
        <p class="fr-hint-text">Les plus récentes d’abord, heure de Paris.</p>
        <Evenements codeInsee={props.codeInsee} evenements={props.evenements} page={props.page} suivante={props.suivante} />
      </section>
      {props.page === 1 ? (
        <section aria-labelledby="historique-archives">
          <h2 id="historique-archives">Recensements archivés</h2>
          {props.archives.length === 0 ? (
            <p>Aucun recensement précédent n’a été archivé pour cette commune.</p>
          ) : (
            props.archives.map((dossier) => (
              <DossierArchiveVue
                key={dossier.id}
                dossier={dossier}
                communeNom={props.communeNom}
                fiches={props.fiches}
                ouvert={props.archives.length === 1}
              />
            ))
          )}
        </section>
      ) : null}
    </>
  );
}
