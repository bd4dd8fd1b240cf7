import { CsrfField } from "../../comptes/views/components.tsx";
import { STATUT_GLOBAL_LABELS, type StatutGlobal } from "../../dossier/rules.ts";
import { pluralize } from "../../patrimoine/rules.ts";
import { Table } from "../../ui/components.tsx";
import { LOT_MAX, NOTES_CONSERVATEUR_MAX, type DossierEnLot } from "../acceptation.ts";
import { communeConservateurUrl } from "./envoi-page.tsx";

export function acceptationGroupeeUrl(departementCode: string): string {
  return `/conservateurs/departements/${departementCode}/acceptation-groupee`;
}

const dateCourte = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });

function StatutBadge({ statut }: { statut: number }) {
  const label = STATUT_GLOBAL_LABELS[statut as StatutGlobal] ?? "";
  return <p class={`fr-badge fr-badge--sm ${statut === 3 ? "fr-badge--warning" : "fr-badge--info"}`}>{label}</p>;
}

function Conditions() {
  return (
    <p>
      Sont listés ici les dossiers envoyés par les communes dont aucun objet n’a été signalé en péril ni disparu, et dont vous n’avez encore
      examiné aucun objet. Vous pouvez leur envoyer l’examen en une fois, sans commentaire par objet ni visite prévue. Pour examiner un
      dossier en détail, ouvrez la commune.
    </p>
  );
}

/** SPEC §11.4: the eligible dossiers of the département, one checkbox each ("Tout sélectionner" is a link: no JavaScript). */
export function ListeLotPage(props: {
  departement: { code: string; nom: string };
  dossiers: DossierEnLot[];
  tronque: boolean;
  coches: ReadonlySet<number>;
  erreur: string | null;
  csrfToken: string;
}) {
  const { departement, dossiers } = props;
  const url = acceptationGroupeeUrl(departement.code);
  const caption = `${pluralize(dossiers.length, "dossier ne contient", "dossiers ne contiennent")} que des objets verts`;
  return (
    <>
      <h1>Envoi groupé des examens – {departement.nom}</h1>
      {props.erreur ? (
        <div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
          <h2 class="fr-alert__title">Aucun examen envoyé</h2>
          <p>{props.erreur}</p>
        </div>
      ) : null}
      <Conditions />
      {dossiers.length === 0 ? (
        <p class="fr-mt-4w">Aucun dossier du département ne remplit ces conditions pour l’instant.</p>
      ) : (
        <form method="post" action={url} class="fr-mt-4w">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="etape" value="confirmer" />
          {props.tronque ? (
            <p class="fr-hint-text">
              Seuls les {LOT_MAX} premiers dossiers par nom de commune sont affichés : les suivants apparaîtront une fois ceux-ci envoyés.
            </p>
          ) : null}
          <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
            <li>
              <a class="fr-btn fr-btn--tertiary" href={`${url}?tout=1`}>
                Tout sélectionner
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--tertiary" href={url}>
                Tout désélectionner
              </a>
            </li>
          </ul>
          <h2 class="fr-h4 fr-mb-0">{caption}</h2>
          <Table bordered noCaption>
            <table class="env-lot">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="fr-sr-only">Sélection</span>
                  </th>
                  <th scope="col">Commune</th>
                  <th scope="col">Objets recensés</th>
                  <th scope="col">Recensements non terminés</th>
                  <th scope="col">Examen</th>
                  <th scope="col">Date du recensement</th>
                </tr>
              </thead>
              <tbody>
                {dossiers.map((d) => (
                  <tr key={d.dossierId}>
                    <td>
                      <div class="fr-checkbox-group fr-checkbox-group--sm">
                        <input
                          type="checkbox"
                          id={`dossier-${d.dossierId}`}
                          name="dossiers"
                          value={d.dossierId}
                          checked={props.coches.has(d.dossierId)}
                        />
                        <label class="fr-label" for={`dossier-${d.dossierId}`}>
                          <span class="fr-sr-only">
                            Sélectionner {d.nom} ({d.codeInsee})
                          </span>
                        </label>
                      </div>
                    </td>
                    <th scope="row">
                      <a href={communeConservateurUrl(d.codeInsee)}>
                        {d.nom} ({d.codeInsee})
                      </a>
                    </th>
                    <td>{d.recenses}</td>
                    <td>{d.brouillons}</td>
                    <td>
                      <StatutBadge statut={d.statutGlobal} />
                    </td>
                    <td>{d.submittedAt ? dateCourte.format(d.submittedAt) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
          <button type="submit" class="fr-btn fr-mt-2w">
            Continuer avec les dossiers sélectionnés
          </button>
        </form>
      )}
      <p class="fr-mt-4w">
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={`/conservateurs/departements/${departement.code}`}>
          Revenir au tableau du département
        </a>
      </p>
    </>
  );
}

export type IgnoreEnLot = { dossierId: number; commune: string | null; raison: string };

/** The one confirmation screen of the batch: which communes, no visit, an optional common comment. */
export function ConfirmationLotPage(props: {
  departement: { code: string; nom: string };
  dossiers: DossierEnLot[];
  ignores: IgnoreEnLot[];
  notes: string;
  erreurNotes: string | null;
  csrfToken: string;
}) {
  const { departement, dossiers } = props;
  const n = dossiers.length;
  const url = acceptationGroupeeUrl(departement.code);
  const brouillons = dossiers.reduce((total, d) => total + d.brouillons, 0);
  return (
    <>
      <h1>{n > 1 ? `Envoyer l’examen à ${n} communes` : "Envoyer l’examen à une commune"}</h1>
      {props.erreurNotes ? (
        <div class="fr-alert fr-alert--error fr-mb-4w" role="alert">
          <h2 class="fr-alert__title">Le formulaire contient une erreur</h2>
          <p>
            <a href="#notes_conservateur">{props.erreurNotes}</a>
          </p>
        </div>
      ) : null}
      {props.ignores.length > 0 ? (
        <div class="fr-alert fr-alert--warning fr-mb-4w">
          <h2 class="fr-alert__title">
            {props.ignores.length > 1
              ? `${props.ignores.length} dossiers sélectionnés ne seront pas envoyés`
              : "Un dossier sélectionné ne sera pas envoyé"}
          </h2>
          <ul>
            {props.ignores.map((i) => (
              <li key={i.dossierId}>
                {i.commune ?? `Dossier n° ${i.dossierId}`} : {i.raison}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>Chacune de ces communes recevra un mail l’informant que l’examen de son recensement est disponible :</p>
      <ul class="env-lot__communes">
        {dossiers.map((d) => (
          <li key={d.dossierId}>
            {d.nom} ({d.codeInsee}) – {pluralize(d.recenses, "objet recensé", "objets recensés")}
            {d.brouillons > 0 ? `, ${pluralize(d.brouillons, "recensement non terminé", "recensements non terminés")}` : ""}
          </li>
        ))}
      </ul>
      <div class="fr-callout fr-mb-4w">
        <p class="fr-callout__text">
          Aucune visite n’est prévue pour ces communes.
          {brouillons > 0
            ? " Les recensements non terminés seront archivés : conservés dans l’historique des dossiers, mais ni envoyés aux communes ni repris dans l’examen."
            : null}
        </p>
      </div>
      <form method="post" action={url} novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="etape" value="valider" />
        {dossiers.map((d) => (
          <input type="hidden" name="dossiers" value={d.dossierId} key={d.dossierId} />
        ))}
        <div class={`fr-input-group${props.erreurNotes ? " fr-input-group--error" : ""}`}>
          <label class="fr-label" for="notes_conservateur">
            Commentaire commun à ces communes
            <span class="fr-hint-text" id="notes_conservateur-hint">
              Facultatif. Il est cité dans le mail de chaque commune et figure en tête de son examen.{" "}
              {NOTES_CONSERVATEUR_MAX.toLocaleString("fr-FR")} caractères au plus.
            </span>
          </label>
          <textarea
            class={`fr-input${props.erreurNotes ? " fr-input--error" : ""}`}
            id="notes_conservateur"
            name="notes_conservateur"
            rows={5}
            maxLength={NOTES_CONSERVATEUR_MAX}
            aria-invalid={props.erreurNotes ? "true" : undefined}
            aria-describedby="notes_conservateur-hint"
            value={props.notes}
          />
        </div>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              {n > 1 ? `Envoyer les ${n} examens` : "Envoyer l’examen"}
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--tertiary" href={`${url}?${dossiers.map((d) => `dossiers=${d.dossierId}`).join("&")}`}>
              Modifier la sélection
            </a>
          </li>
        </ul>
      </form>
    </>
  );
}
