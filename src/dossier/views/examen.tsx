import type { Fiche } from "../../fiches/fiches.ts";
import { edificeDisplayName, objetTitle, pluralize } from "../../patrimoine/rules.ts";
import { ObjetCard } from "../../patrimoine/views/objet-card.tsx";
import { ETAT_SANITAIRE_LABELS, phraseLocalisation, SECURISATION_LABELS } from "../../recensement/rules.ts";
import type { ConservateurDuDossier, RecensementDuDossier } from "../repository.ts";
import { ordreDuRapport, regrouperParFiche } from "../rules.ts";
import { dateLongue, etatEvalue, securisationEvaluee, TexteLibre, ValeurEvaluee, Vignettes, vignetteUrl } from "./components.tsx";
import type { CommuneVue } from "./finalisation.tsx";

export const EXAMEN_TITRE = "Examen du recensement";

type ObjetDuRapport = RecensementDuDossier & { numero: number; titre: string; anchor: string };

function premierePhoto(r: RecensementDuDossier) {
  const photo = r.photos[0];
  if (photo) return { url: vignetteUrl(photo.id), name: null, credit: null };
  return r.palissy_photo;
}

/**
 * The rapport of an accepted dossier (RB §5.10.3), shared by the commune, conservateur and admin
 * pages: comments, objets grouped by fiche conseil, then every objet in detail. The `visit` flag of
 * the dossier is not part of it: conservateurs add their badge around it.
 */
export function Rapport(props: {
  commune: CommuneVue;
  dossier: { accepted_at: Date | null; notes_commune: string | null; notes_conservateur: string | null };
  conservateur: ConservateurDuDossier | undefined;
  recensements: RecensementDuDossier[];
  fiches: Fiche[];
  objetHref: (r: RecensementDuDossier) => string;
  /** h2 when the rapport sits under another page's title (the conservateur's Examen tab). */
  titre?: "h1" | "h2";
}) {
  const { commune, dossier, conservateur } = props;
  const Titre = props.titre ?? "h1";
  const objets: ObjetDuRapport[] = ordreDuRapport(props.recensements).map((r, index) => ({
    ...r,
    numero: index + 1,
    titre: objetTitle(r),
    anchor: `objet-${index + 1}`,
  }));
  const fichesParId = new Map(props.fiches.map((fiche) => [fiche.id, fiche]));
  const groupes = regrouperParFiche(
    objets,
    props.fiches.map((fiche) => fiche.id),
  );
  return (
    <div class="co-rapport">
      <Titre>{EXAMEN_TITRE}</Titre>
      <p class="fr-text--lead fr-mb-1w">Commune de {commune.nom}</p>
      <p>
        Dossier de recensement examiné
        {dossier.accepted_at ? ` le ${dateLongue(dossier.accepted_at)}` : null}
        {conservateur ? ` par ${conservateur.nom} (${conservateur.email})` : null}
      </p>
      {/* The button needs JavaScript (src/client/imprimer.ts shows it and hides the hint). */}
      <button type="button" class="fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-printer-line co-print-hide" data-co-imprimer hidden>
        Imprimer l’examen
      </button>
      <p class="fr-hint-text co-print-hide" data-co-imprimer-aide>
        Pour imprimer cet examen ou l’enregistrer en PDF, utilisez la fonction « Imprimer » de votre navigateur (Ctrl + P, ou ⌘ + P sur
        Mac).
      </p>

      <nav class="fr-summary fr-mb-4w co-print-hide" aria-label="Sommaire de l’examen">
        <details class="co-sommaire">
          <summary class="fr-summary__title">Sommaire</summary>
          <ol>
            <li>
              <a class="fr-summary__link" href="#commentaires">
                Commentaires
              </a>
            </li>
            <li>
              <a class="fr-summary__link" href="#fiches">
                Vue des objets regroupés par fiche conseil
              </a>
              {groupes.length > 0 ? (
                <ol>
                  {groupes.map((groupe) => (
                    <li key={groupe.ficheId}>
                      <a class="fr-summary__link" href={`#fiche-${groupe.ficheId}`}>
                        Fiche {groupe.numero} · {fichesParId.get(groupe.ficheId)?.titre}
                      </a>
                    </li>
                  ))}
                </ol>
              ) : null}
            </li>
            <li>
              <a class="fr-summary__link" href="#objets">
                Vue détaillée objet par objet
              </a>
              <ol>
                {objets.map((objet) => (
                  <li key={objet.id}>
                    <a class="fr-summary__link" href={`#${objet.anchor}`}>
                      Objet {objet.numero} · {objet.titre}
                    </a>
                  </li>
                ))}
              </ol>
            </li>
          </ol>
        </details>
      </nav>

      <section id="commentaires" class="fr-mb-6w">
        <h2>Commentaires</h2>
        <h3 class="fr-h5">Commentaire de la commune</h3>
        <TexteLibre text={dossier.notes_commune} fallback="Aucun commentaire" />
        <h3 class="fr-h5">Commentaire du conservateur</h3>
        <TexteLibre text={dossier.notes_conservateur} fallback="Aucun commentaire" />
      </section>

      <section id="fiches" class="fr-mb-6w">
        <h2>Vue des objets regroupés par fiche conseil</h2>
        {groupes.length === 0 ? <p>Le conservateur n’a recommandé aucune fiche conseil pour les objets de votre commune.</p> : null}
        {groupes.map((groupe) => {
          const fiche = fichesParId.get(groupe.ficheId);
          if (!fiche) return null;
          const n = groupe.recensements.length;
          return (
            <section key={groupe.ficheId} id={`fiche-${groupe.ficheId}`} class="fr-mb-5w co-rapport__bloc">
              <h3>
                Fiche {groupe.numero} · {fiche.titre}
              </h3>
              <p>
                Le conservateur vous a recommandé la lecture de la fiche « {fiche.titre} »{" "}
                {n > 1 ? `pour ces ${n} objets` : "pour cet objet"}. {fiche.resume}
              </p>
              <p class="co-print-hide">
                <a class="fr-btn fr-btn--secondary fr-btn--sm" href={`/fiches/${fiche.id}`}>
                  Voir la fiche conseil<span class="fr-sr-only"> « {fiche.titre} »</span>
                </a>
              </p>
              <ul class="fr-grid-row fr-grid-row--gutters co-liste-nue">
                {groupe.recensements.map((objet) => (
                  <li key={objet.id} class="fr-col-12 fr-col-sm-6 fr-col-lg-4">
                    <ObjetCard
                      href={`#${objet.anchor}`}
                      title={`Objet ${objet.numero} · ${objet.titre}`}
                      details={[edificeDisplayName(objet.edifice_initial_nom, commune.nom), `Référence ${objet.palissy_ref}`]}
                      photo={premierePhoto(objet)}
                      headingLevel={4}
                    />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </section>

      <section id="objets">
        <h2>Vue détaillée objet par objet</h2>
        {objets.map((objet) => (
          <ObjetDetaille key={objet.id} objet={objet} commune={commune} fichesParId={fichesParId} href={props.objetHref(objet)} />
        ))}
      </section>
    </div>
  );
}

function ObjetDetaille(props: { objet: ObjetDuRapport; commune: CommuneVue; fichesParId: Map<string, Fiche>; href: string }) {
  const { objet, commune } = props;
  const fiches = objet.analyse_fiches.map((id) => props.fichesParId.get(id)).filter((fiche): fiche is Fiche => fiche !== undefined);
  return (
    <article id={objet.anchor} class="fr-mb-6w co-rapport__bloc">
      <h3>
        Objet {objet.numero} · {objet.titre}
      </h3>
      <p class="fr-mb-1w">
        Référence POP Palissy : {objet.palissy_ref} ·{" "}
        <a href={props.href} class="co-print-hide">
          Voir la fiche de l’objet<span class="fr-sr-only"> {objet.titre}</span>
        </a>
      </p>
      {objet.photos.length > 0 ? (
        <>
          <p class="fr-badge fr-badge--sm fr-badge--info fr-mb-1w">
            {pluralize(objet.photos.length, "photo de recensement", "photos de recensement")}
          </p>
          <Vignettes photos={objet.photos} titre={objet.titre} size={120} />
        </>
      ) : (
        <p class="fr-badge fr-badge--sm fr-badge--warning">Aucune photo de recensement</p>
      )}
      <dl class="co-attributes">
        <div>
          <dt>Où se trouve l’objet ?</dt>
          <dd>{phraseLocalisation(objet, edificeDisplayName(objet.edifice_initial_nom, commune.nom), objet.autre_commune_nom)}</dd>
        </div>
        {objet.localisation !== "absent" ? (
          <div>
            <dt>L’objet peut-il être recensé ?</dt>
            <dd>
              {objet.recensable === null
                ? "Non renseigné"
                : objet.recensable
                  ? "Oui, l’objet est recensable"
                  : "Non, l’objet n’est pas recensable"}
            </dd>
          </div>
        ) : null}
        {objet.recensable === true ? (
          <>
            <div>
              <dt>Dans quel état est l’objet ?</dt>
              <dd>
                <ValeurEvaluee evaluation={etatEvalue(objet)} labels={ETAT_SANITAIRE_LABELS} />
              </dd>
            </div>
            <div>
              <dt>Est-il facile de voler cet objet ?</dt>
              <dd>
                <ValeurEvaluee evaluation={securisationEvaluee(objet)} labels={SECURISATION_LABELS} />
              </dd>
            </div>
          </>
        ) : null}
        <div>
          <dt>Commentaire de la commune</dt>
          <dd>
            <TexteLibre text={objet.notes} fallback="Aucun commentaire" />
          </dd>
        </div>
        <div>
          <dt>Commentaire du conservateur</dt>
          <dd>
            <TexteLibre text={objet.analyse_notes} fallback="Aucun commentaire" />
          </dd>
        </div>
        <div>
          <dt>Fiches conseillées par le conservateur pour cet objet</dt>
          <dd>
            {fiches.length === 0 ? (
              "Aucune fiche conseillée"
            ) : (
              <ul>
                {fiches.map((fiche) => (
                  <li key={fiche.id}>
                    <a href={`/fiches/${fiche.id}`}>{fiche.titre}</a>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </article>
  );
}

/** Dossier sent, examen not yet there (RB §4.7). */
export function ExamenEnAttente(props: { commune: CommuneVue; submittedAt: Date | null }) {
  return (
    <>
      <h1>{EXAMEN_TITRE}</h1>
      <div class="fr-callout fr-icon-time-line">
        <h2 class="fr-callout__title">L’examen n’est pas encore disponible</h2>
        <div class="fr-callout__text">
          <p>
            {props.submittedAt ? `Vous avez envoyé votre recensement le ${dateLongue(props.submittedAt)}. ` : null}Un conservateur a été
            prévenu : il va examiner les objets de votre commune et vous recevrez un mail dès que son examen sera disponible ici.
          </p>
          <p>
            Si le conservateur a des questions sur votre recensement, il vous écrira dans la{" "}
            <a href={`/communes/${props.commune.codeInsee}/messagerie`}>messagerie de la commune</a>, où vous pouvez aussi lui écrire.
          </p>
        </div>
        <a class="fr-btn fr-btn--secondary fr-mt-2w" href={`/communes/${props.commune.codeInsee}/dossier/donnees-envoyees`}>
          Voir les données envoyées
        </a>
      </div>
    </>
  );
}

/** Nothing sent yet (RB §4.7). */
export function ExamenAVenir(props: { commune: CommuneVue }) {
  return (
    <>
      <h1>{EXAMEN_TITRE}</h1>
      <div class="fr-callout">
        <h2 class="fr-callout__title">Recensez d’abord les objets de votre commune</h2>
        <div class="fr-callout__text">
          <p>
            Une fois tous les objets protégés de {props.commune.nom} recensés et le recensement envoyé, un conservateur l’examinera. Vous
            trouverez ici son examen : ses commentaires, ses corrections éventuelles et les fiches conseil recommandées pour vos objets.
          </p>
        </div>
        <a class="fr-btn fr-mt-2w" href={`/communes/${props.commune.codeInsee}/objets`}>
          Recenser les objets de ma commune
        </a>
      </div>
    </>
  );
}
