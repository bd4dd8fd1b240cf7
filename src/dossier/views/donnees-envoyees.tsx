import type { DossierActuel, RecensementDuDossier } from "../repository.ts";
import { dateLongue, RecensementsTable, TexteLibre } from "./components.tsx";
import type { CommuneVue } from "./finalisation.tsx";

/** "Données envoyées" (RB §4.6): what the commune sent, read-only. */
export function DonneesEnvoyeesPage(props: {
  commune: CommuneVue;
  dossier: Pick<DossierActuel, "status" | "submitted_at" | "notes_commune" | "recenseur">;
  recensements: RecensementDuDossier[];
}) {
  const { commune, dossier } = props;
  return (
    <>
      <h1>Recensements de {commune.nom}</h1>
      <div class="fr-alert fr-alert--success fr-mb-4w">
        <h2 class="fr-alert__title">Merci pour votre participation !</h2>
        <p>
          {dossier.submitted_at ? `Votre recensement a été envoyé le ${dateLongue(dossier.submitted_at)}. ` : null}
          Un conservateur a été prévenu et reviendra vers vous.
        </p>
      </div>
      {dossier.status === "accepted" ? (
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href={`/communes/${commune.codeInsee}/dossier`}>
            Voir l’examen du conservateur
          </a>
        </p>
      ) : null}
      <RecensementsTable
        codeInsee={commune.codeInsee}
        communeNom={commune.nom}
        recensements={props.recensements}
        caption={`Objets recensés (${props.recensements.length})`}
      />
      <h2 class="fr-mt-4w">Commentaires à destination des conservateurs</h2>
      <TexteLibre text={dossier.notes_commune} fallback="Aucun commentaire à destination des conservateurs" />
      <h2>Personne ayant effectué le recensement</h2>
      <TexteLibre text={dossier.recenseur} fallback="Coordonnées non renseignées" />
      <p>
        <a class="fr-btn fr-btn--secondary" href={`/communes/${commune.codeInsee}/objets`}>
          Revenir à la liste des objets
        </a>
      </p>
    </>
  );
}
