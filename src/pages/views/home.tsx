import { KeyFigure } from "../../ui/components.tsx";
import type { HomeCounters } from "../repository.ts";

const POURQUOI = [
  {
    titre: "Connaître et transmettre",
    texte:
      "Beaucoup de notices datent de plusieurs décennies. Votre passage met à jour la connaissance de ces objets, avec des photos récentes, pour les générations qui suivent.",
    icon: "fr-icon-search-line",
  },
  {
    titre: "Prévenir les vols et les dégradations",
    texte:
      "Un objet bien documenté et photographié est plus facile à retrouver en cas de vol, et un signe de dégradation repéré tôt coûte bien moins cher à traiter.",
    icon: "fr-icon-lock-line",
  },
  {
    titre: "Bénéficier de conseils d’experts",
    texte:
      "Les conservateurs examinent chaque recensement et vous répondent : priorités, entretien, sécurisation, aides possibles pour une restauration.",
    icon: "fr-icon-chat-3-line",
  },
];

const ETAPES: { titre: string; texte: string; lien?: { href: string; label: string } }[] = [
  {
    titre: "Rendez-vous sur place",
    texte: "Munissez-vous d’un téléphone ou d’un appareil photo et allez voir chaque objet, là où il est conservé.",
  },
  {
    titre: "Remplissez le questionnaire en ligne",
    texte:
      "Pour chaque objet : est-il à sa place, dans quel état, est-il facile à voler ? Ajoutez quelques photos. Comptez une dizaine de minutes par objet.",
    lien: { href: "/guide-de-recensement", label: "Le guide de recensement vous aide à juger l’état des objets" },
  },
  {
    titre: "Recevez l’avis du conservateur",
    texte: "Une fois votre recensement envoyé, le conservateur l’examine et vous transmet ses observations et ses conseils.",
  },
];

export function HomePage(props: { counters: HomeCounters }) {
  const { counters } = props;
  return (
    <>
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-py-4w">
        <div class="fr-col-12 fr-col-lg-8">
          <h1>Recensez les objets protégés de votre commune</h1>
          <p class="fr-text--lead">
            Trois communes sur quatre abritent au moins un objet protégé au titre des monuments historiques : retable, cloche, statue,
            tableau, calice, orgue… Ces trésors appartiennent à la commune et sont placés sous la responsabilité du maire.
          </p>
          <p>
            Avec Collectif Objets, les mairies vérifient en quelques clics la présence et l’état de leurs objets, et les conservateurs du
            patrimoine les aident à en prendre soin.
          </p>
          <ul class="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
            <li>
              <a class="fr-btn fr-btn--lg" href="/communes/connexion">
                Recenser les objets de ma commune
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--lg fr-btn--secondary" href="/comment-ca-marche">
                Comment ça marche ?
              </a>
            </li>
          </ul>
        </div>
      </div>

      <section class="fr-py-4w" aria-labelledby="chiffres">
        <h2 id="chiffres">Le recensement en chiffres</h2>
        <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
          <li class="fr-col-12 fr-col-md-4">
            <KeyFigure value={counters.communesEngagees} label={counters.communesEngagees > 1 ? "communes engagées" : "commune engagée"} />
          </li>
          <li class="fr-col-12 fr-col-md-4">
            <KeyFigure value={counters.objetsRecenses} label={counters.objetsRecenses > 1 ? "objets recensés" : "objet recensé"} />
          </li>
          <li class="fr-col-12 fr-col-md-4">
            <KeyFigure
              value={counters.objetsProteges}
              label={counters.objetsProteges > 1 ? "objets protégés à recenser en France" : "objet protégé à recenser en France"}
            />
          </li>
        </ul>
        <p class="fr-mt-2w">
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/stats">
            Toutes les statistiques
          </a>
        </p>
      </section>

      <section class="fr-py-4w" aria-labelledby="pourquoi">
        <h2 id="pourquoi">Pourquoi participer ?</h2>
        <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
          {POURQUOI.map((item) => (
            <li class="fr-col-12 fr-col-md-4" key={item.titre}>
              <div class="fr-tile fr-tile--no-icon co-tile-static">
                <div class="fr-tile__body">
                  <div class="fr-tile__content">
                    <h3 class="fr-tile__title">
                      <span class={`${item.icon} fr-mr-1w`} aria-hidden="true" />
                      {item.titre}
                    </h3>
                    <p class="fr-tile__desc">{item.texte}</p>
                  </div>
                </div>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section class="fr-py-4w" aria-labelledby="etapes">
        <h2 id="etapes">Recensez en 3 étapes</h2>
        <ol class="fr-grid-row fr-grid-row--gutters co-steps">
          {ETAPES.map((etape, index) => (
            <li class="fr-col-12 fr-col-md-4" key={etape.titre}>
              <p class="co-step-number" aria-hidden="true">
                {index + 1}
              </p>
              <h3 class="fr-h5">{etape.titre}</h3>
              <p>{etape.texte}</p>
              {etape.lien ? (
                <p>
                  <a href={etape.lien.href}>{etape.lien.label}</a>
                </p>
              ) : null}
            </li>
          ))}
        </ol>
        <p>
          Le détail de chaque étape et les réponses aux questions fréquentes sont sur la page{" "}
          <a href="/comment-ca-marche">Comment ça marche ?</a>. Pour préparer votre visite, juger l’état d’un objet et réussir vos photos,
          suivez le <a href="/guide-de-recensement">guide de recensement</a>, que vous pouvez aussi imprimer. Pour entretenir et protéger
          vos objets, consultez nos <a href="/fiches">fiches conseil</a>.
        </p>
      </section>

      <section class="fr-py-4w" aria-labelledby="commencer">
        <div class="fr-callout fr-icon-arrow-right-line">
          <h2 class="fr-callout__title" id="commencer">
            Prêt à commencer ?
          </h2>
          <p class="fr-callout__text">
            Connectez-vous avec l’adresse e-mail de votre mairie : vous recevrez un code de connexion, sans mot de passe à retenir.
          </p>
          <a class="fr-btn fr-mt-2w" href="/communes/connexion">
            Me connecter
          </a>
        </div>
        <p>
          Vous êtes conservateur ou conservatrice ? <a href="/conservateurs/sign_in">Accédez à votre espace</a>.
        </p>
      </section>
    </>
  );
}
