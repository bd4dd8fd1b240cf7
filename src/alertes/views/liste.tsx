import { CsrfField } from "../../comptes/views/components.tsx";
import { Pagination } from "../../ui/components.tsx";
import { Onglets } from "../../ui/onglets.tsx";
import type { LigneAlerte, ListeAlertes } from "../repository.ts";
import { ALERTE_KIND_LABELS, ceQuiAEteSignale, type VueAlertes } from "../rules.ts";

const dateHeure = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

export function PageAlertes(props: { code: string; vue: VueAlertes; page: number; liste: ListeAlertes; csrfToken: string }) {
  const { code, vue, page, liste } = props;
  const base = `/conservateurs/departements/${code}/alertes`;
  return (
    <section aria-labelledby="alertes-titre">
      <h2 id="alertes-titre">Alertes</h2>
      <p>
        Objets que la commune n’a pas trouvés (disparus) ou signalés en péril, par la commune ou lors de l’examen. Marquez une alerte comme
        traitée lorsque vous avez fait le nécessaire : elle quitte alors la liste des alertes ouvertes.
      </p>
      <Onglets
        label="Alertes ouvertes ou traitées"
        items={[
          { href: base, label: `Ouvertes (${liste.ouvertes})`, current: vue === "ouvertes" },
          { href: `${base}?vue=traitees`, label: `Traitées (${liste.traitees})`, current: vue === "traitees" },
        ]}
      />
      {liste.lignes.length === 0 ? (
        <p class="alertes-vide">
          {vue === "ouvertes" ? "Aucune alerte ouverte dans ce département." : "Aucune alerte traitée pour l’instant."}
        </p>
      ) : (
        <ul class="alertes-liste">
          {liste.lignes.map((ligne) => (
            <Alerte key={ligne.id} code={code} ligne={ligne} csrfToken={props.csrfToken} />
          ))}
        </ul>
      )}
      <Pagination base={vue === "traitees" ? `${base}?vue=traitees&` : `${base}?`} page={page} hasNext={liste.hasNext} />
    </section>
  );
}

function Alerte({ code, ligne, csrfToken }: { code: string; ligne: LigneAlerte; csrfToken: string }) {
  const titreId = `alerte-${ligne.id}-titre`;
  return (
    <li class="alertes-item">
      <h3 class="fr-h6 fr-mb-1w" id={titreId}>
        <a href={`/conservateurs/recensements/${ligne.recensementId}/examen`}>{ligne.objet}</a>{" "}
        <span class={`fr-badge fr-badge--sm ${ligne.kind === "disparu" ? "fr-badge--error" : "fr-badge--warning"}`}>
          {ALERTE_KIND_LABELS[ligne.kind]}
        </span>
      </h3>
      <p class="fr-mb-1w">
        <a href={`/conservateurs/communes/${ligne.commune.codeInsee}`}>
          {ligne.commune.nom} ({ligne.commune.codeInsee})
        </a>
        {ligne.palissyRef ? ` · ${ligne.palissyRef}` : null} · signalée le {dateHeure.format(ligne.createdAt)}
      </p>
      <p class="fr-mb-1w">{ceQuiAEteSignale(ligne.kind, ligne.source)}.</p>
      {ligne.notes ? <p class="fr-text--sm fr-mb-1w alertes-notes">Commentaire de la commune : « {ligne.notes} »</p> : null}
      {ligne.photos.length > 0 ? (
        <ul class="alertes-photos" aria-label={`Photos du recensement de ${ligne.objet}`}>
          {ligne.photos.map((photo, i) => (
            <li key={photo.id}>
              <a href={photo.affichageUrl}>
                <img src={photo.vignetteUrl} alt={`Photo ${i + 1} de ${ligne.objet}`} width={96} height={96} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {ligne.traiteeAt ? (
        <p class="fr-text--sm fr-mb-0">
          Traitée le {dateHeure.format(ligne.traiteeAt)} par {ligne.traiteePar}.
        </p>
      ) : (
        <form method="post" action={`/conservateurs/departements/${code}/alertes/${ligne.id}/traiter`} class="alertes-traiter">
          <CsrfField token={csrfToken} />
          <div class="fr-checkbox-group fr-checkbox-group--sm">
            <input type="checkbox" id={`confirmer-${ligne.id}`} name="confirmer" value="oui" required />
            <label class="fr-label" for={`confirmer-${ligne.id}`}>
              J’ai traité cette alerte
            </label>
          </div>
          <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
            Marquer comme traitée<span class="fr-sr-only"> : {ligne.objet}</span>
          </button>
        </form>
      )}
    </li>
  );
}
