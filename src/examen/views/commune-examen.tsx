import type { ConservateurDuDossier, RecensementDuDossier } from "../../dossier/repository.ts";
import { Rapport } from "../../dossier/views/examen.tsx";
import type { Fiche } from "../../fiches/fiches.ts";
import { examenRecensementUrl } from "../cartes.ts";
import type { CommuneConservateur, DossierConservateur } from "../commune-repository.ts";
import { MESSAGES_ENVOI_IMPOSSIBLE, VISITE_LABELS, type EtatEnvoiExamen, type Visite } from "../rules.ts";
import { BoutonEnvoiExamen } from "./commune-recensement.tsx";

const SEVERITE_VISITE: Record<Visite, string> = { souhaitable: "info", prioritaire: "warning" };

/** The visit planned when the examen was sent: for conservateurs only, never shown to the commune. */
export function BadgeVisite({ visite, small }: { visite: Visite; small?: boolean }) {
  return <p class={`fr-badge${small ? " fr-badge--sm" : ""} fr-badge--${SEVERITE_VISITE[visite]}`}>{VISITE_LABELS[visite]}</p>;
}

/** Tab "Examen" of an accepted dossier: the visit, then the rapport the commune reads (RB §5.10). */
export function ExamenAccepte(props: {
  commune: CommuneConservateur;
  dossier: DossierConservateur;
  conservateur: ConservateurDuDossier | undefined;
  recensements: RecensementDuDossier[];
  fiches: Fiche[];
}) {
  const { commune, dossier } = props;
  return (
    <>
      <div class="cc-visite fr-mb-4w">
        {dossier.visit ? (
          <>
            <BadgeVisite visite={dossier.visit} />
            <p class="fr-hint-text fr-mb-0">Visible des conservateurs seulement : la commune ne voit pas cette information.</p>
          </>
        ) : (
          <p class="fr-mb-0">Aucun déplacement prévu dans cette commune.</p>
        )}
      </div>
      <Rapport
        commune={{ nom: commune.nom, codeInsee: commune.code_insee }}
        dossier={dossier}
        conservateur={props.conservateur}
        recensements={props.recensements.filter((r) => r.status === "completed")}
        fiches={props.fiches}
        objetHref={(r) => examenRecensementUrl(r.id)}
        titre="h2"
      />
    </>
  );
}

/** Tab "Examen" before the examen is sent. */
export function ExamenAVenirConservateur(props: { commune: CommuneConservateur; etat: EtatEnvoiExamen }) {
  const { commune, etat } = props;
  return (
    <div class="fr-callout">
      <h2 class="fr-callout__title">L’examen n’a pas encore été envoyé</h2>
      <div class="fr-callout__text">
        <p>
          L’examen est établi au moment où vous l’envoyez à la commune : c’est une vue figée de vos remarques, corrections et fiches conseil
          à cette date. Il apparaîtra ici, tel que la commune le lira.
        </p>
        <p>
          {etat.ok
            ? "Tous les objets en péril ou disparus ont été examinés : vous pouvez l’envoyer."
            : MESSAGES_ENVOI_IMPOSSIBLE[etat.raison]}
        </p>
      </div>
      {etat.ok ? <BoutonEnvoiExamen codeInsee={commune.code_insee} /> : null}
    </div>
  );
}
