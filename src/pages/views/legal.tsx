import { Summary, Table } from "../../ui/components.tsx";

export function MentionsLegalesPage() {
  return (
    <>
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>
        Collectif Objets est édité par le ministère de la Culture, direction générale des Patrimoines et de l’Architecture, 182 rue
        Saint-Honoré, 75001 Paris. Téléphone du standard : 01 40 15 80 00.
      </p>
      <h2>Directeur de la publication</h2>
      <p>Le directeur général des Patrimoines et de l’Architecture.</p>
      <h2>Hébergement</h2>
      <p>
        Le service est hébergé en France, dans l’Union européenne, par le prestataire retenu par le ministère. Ses coordonnées sont
        communiquées sur simple demande à l’adresse de contact ci-dessous.
      </p>
      <h2>Contenus et réutilisation</h2>
      <p>
        Les descriptions des objets proviennent de la base Palissy et les photographies de la médiathèque du patrimoine et de la
        photographie (Mémoire), publiées sur la{" "}
        <a href="https://pop.culture.gouv.fr" target="_blank" rel="noopener" title="Plateforme ouverte du patrimoine - nouvelle fenêtre">
          Plateforme ouverte du patrimoine
        </a>
        . Chaque photographie reste soumise aux droits indiqués dans son crédit.
      </p>
      <p>
        Sauf mention contraire, les autres contenus de ce site sont publiés sous{" "}
        <a
          href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
          target="_blank"
          rel="noopener"
          title="Licence Ouverte 2.0 - nouvelle fenêtre"
        >
          Licence Ouverte 2.0
        </a>
        {"\u00a0"}: vous pouvez les réutiliser en citant la source.
      </p>
      <h2>Design système</h2>
      <p>Ce site utilise le Système de design de l’État (DSFR), dont l’usage est réservé aux sites des services de l’État.</p>
      <h2>Données personnelles et accessibilité</h2>
      <p>
        Voir la page <a href="/confidentialite">Données personnelles</a> et la{" "}
        <a href="/declaration-accessibilite">déclaration d’accessibilité</a>.
      </p>
    </>
  );
}

const DONNEES = [
  {
    qui: "Mairies",
    quoi: "Nom et code INSEE de la commune, adresse e-mail et téléphone publics de la mairie (annuaire de l’administration)",
    duree: "Tant que la commune possède des objets protégés",
  },
  {
    qui: "Personne ayant fait le recensement (recenseur)",
    quoi: "Nom et coordonnées saisis librement par la mairie dans le dossier",
    duree: "6 ans après l’envoi du dossier, puis suppression",
  },
  {
    qui: "Conservateurs et équipe du service",
    quoi: "Nom, prénom, adresse e-mail et téléphone professionnels, départements suivis",
    duree: "Pendant la durée des fonctions, puis 1 an",
  },
  {
    qui: "Tous les utilisateurs connectés",
    quoi: "Réponses aux questionnaires, photos (métadonnées et position GPS supprimées à l’envoi), messages échangés",
    duree: "6 ans après l’examen du dossier, puis archivage ou suppression",
  },
  {
    qui: "Tous les utilisateurs connectés",
    quoi: "Journal des actions (qui a modifié quoi et quand, adresse IP)",
    duree: "1 an",
  },
];

export function ConfidentialitePage() {
  return (
    <>
      <h1>Données personnelles</h1>
      <p class="fr-text--lead">
        Collectif Objets traite le minimum de données personnelles nécessaires au recensement des objets protégés. Cette page explique
        lesquelles, pourquoi, combien de temps, et comment exercer vos droits.
      </p>
      <Summary
        items={[
          { anchor: "responsable", label: "Responsable du traitement" },
          { anchor: "finalites", label: "Finalités et base légale" },
          { anchor: "donnees", label: "Données traitées et durées de conservation" },
          { anchor: "destinataires", label: "Destinataires et sous-traitants" },
          { anchor: "cookies", label: "Cookies" },
          { anchor: "droits", label: "Vos droits" },
        ]}
      />
      <h2 id="responsable">Responsable du traitement</h2>
      <p>Le ministère de la Culture, direction générale des Patrimoines et de l’Architecture, 182 rue Saint-Honoré, 75001 Paris.</p>
      <h2 id="finalites">Finalités et base légale</h2>
      <p>Les données servent à :</p>
      <ul>
        <li>permettre aux mairies de recenser leurs objets protégés et de les transmettre aux conservateurs ;</li>
        <li>permettre aux conservateurs d’examiner ces recensements, de répondre aux mairies et de préparer les récolements officiels ;</li>
        <li>envoyer les e-mails des campagnes de recensement et les notifications de la messagerie ;</li>
        <li>assurer la sécurité du service (connexion, journal des actions).</li>
      </ul>
      <p>
        Ce traitement relève de l’exécution d’une mission d’intérêt public (article 6-1-e du règlement général sur la protection des
        données) : le contrôle de l’État sur les objets protégés au titre des monuments historiques, prévu par le code du patrimoine.
      </p>
      <h2 id="donnees">Données traitées et durées de conservation</h2>
      <Table bordered>
        <table>
          <caption>Données personnelles traitées, par catégorie de personnes</caption>
          <thead>
            <tr>
              <th scope="col">Personnes concernées</th>
              <th scope="col">Données</th>
              <th scope="col">Durée de conservation</th>
            </tr>
          </thead>
          <tbody>
            {DONNEES.map((ligne, index) => (
              <tr key={index}>
                <th scope="row">{ligne.qui}</th>
                <td>{ligne.quoi}</td>
                <td>{ligne.duree}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Table>
      <p>
        Le nom du recenseur n’est visible que par la mairie, les conservateurs du département et l’équipe du service. Il n’est jamais publié
        ni transmis aux bases nationales.
      </p>
      <h2 id="destinataires">Destinataires et sous-traitants</h2>
      <p>
        Les données sont accessibles à la mairie concernée, aux conservateurs de son département et à l’équipe du service. Les observations
        et photos validées par les conservateurs rejoignent les bases nationales du patrimoine (Palissy, Mémoire), sans donnée personnelle.
      </p>
      <p>
        Le service s’appuie sur un hébergeur et un prestataire d’envoi d’e-mails, situés dans l’Union européenne et liés au ministère par un
        contrat conforme à l’article 28 du RGPD.
      </p>
      <h2 id="cookies">Cookies</h2>
      <p>
        Collectif Objets ne dépose qu’un cookie de session, strictement nécessaire pour rester connecté. Il n’y a ni mesure d’audience
        tierce ni publicité : aucun consentement n’est donc demandé.
      </p>
      <h2 id="droits">Vos droits</h2>
      <p>
        Vous disposez d’un droit d’accès, de rectification, d’effacement et de limitation du traitement de vos données, ainsi que du droit
        de vous opposer à leur traitement. Pour les exercer, écrivez au délégué à la protection des données du ministère de la Culture, 182
        rue Saint-Honoré, 75001 Paris, en précisant « Collectif Objets ».
      </p>
      <p>
        Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la{" "}
        <a
          href="https://www.cnil.fr/fr/plaintes"
          target="_blank"
          rel="noopener"
          title="Adresser une réclamation à la CNIL - nouvelle fenêtre"
        >
          CNIL
        </a>
        .
      </p>
    </>
  );
}

export function DeclarationAccessibilitePage() {
  return (
    <>
      <h1>Déclaration d’accessibilité</h1>
      <p>
        Le ministère de la Culture s’engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles, conformément à
        l’article 47 de la loi n° 2005-102 du 11 février 2005.
      </p>
      <p>Cette déclaration d’accessibilité s’applique au site Collectif Objets.</p>
      <h2>État de conformité</h2>
      <p>
        Collectif Objets est <strong>non conforme</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA), version
        4.1.2 : aucun audit de conformité n’a encore été réalisé.
      </p>
      <h2>Résultats des tests</h2>
      <p>
        En l’absence d’audit, aucun taux de conformité ne peut être publié. Le site est conçu avec le Système de design de l’État et chaque
        page est vérifiée automatiquement (outil axe-core) lors des tests du service, y compris sans JavaScript et sur un écran de
        téléphone ; ces vérifications automatiques ne couvrent qu’une partie des critères du RGAA.
      </p>
      <h2>Contenus non accessibles</h2>
      <h3>Non-conformités connues</h3>
      <ul>
        <li>
          les textes alternatifs des photographies issues de la base Mémoire reprennent leur légende d’origine, parfois peu descriptive ;
        </li>
        <li>la carte des communes de l’espace conservateur n’a pas encore d’équivalent textuel complet ;</li>
        <li>les bordereaux de récolement au format PDF ne sont pas balisés pour les technologies d’assistance.</li>
      </ul>
      <h3>Contenus non soumis à l’obligation d’accessibilité</h3>
      <p>Les photographies envoyées par les communes, qui sont des contenus de tiers.</p>
      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le 22 novembre 2026.</p>
      <h3>Technologies utilisées</h3>
      <ul>
        <li>HTML5</li>
        <li>CSS</li>
        <li>JavaScript (facultatif : toutes les pages fonctionnent sans)</li>
      </ul>
      <h3>Environnement de test</h3>
      <p>Navigateur Chromium, à la taille d’un écran d’ordinateur et d’un téléphone (360 pixels de large), avec et sans JavaScript.</p>
      <h3>Outils pour évaluer l’accessibilité</h3>
      <ul>
        <li>axe-core</li>
        <li>Validation manuelle du code HTML et de la navigation au clavier</li>
      </ul>
      <h3>Pages du site ayant fait l’objet de la vérification</h3>
      <ul>
        <li>
          <a href="/">Accueil</a>
        </li>
        <li>
          <a href="/comment-ca-marche">Comment ça marche ?</a>
        </li>
        <li>
          <a href="/fiches">Fiches conseil</a>
        </li>
        <li>
          <a href="/stats">Statistiques</a>
        </li>
        <li>Page publique d’une commune et fiche d’un objet</li>
        <li>Parcours de connexion et de recensement des communes</li>
      </ul>
      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l’équipe de Collectif Objets par la messagerie
        de votre espace ou par courrier (ministère de la Culture, direction générale des Patrimoines et de l’Architecture, 182 rue
        Saint-Honoré, 75001 Paris) pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d’accessibilité qui vous empêche d’accéder à un contenu ou à un service du portail et que vous n’avez
        pas obtenu de réponse satisfaisante, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des
        droits. Plusieurs moyens sont à votre disposition :
      </p>
      <ul>
        <li>
          écrire un message au Défenseur des droits (
          <a
            href="https://formulaire.defenseurdesdroits.fr/"
            target="_blank"
            rel="noopener"
            title="Formulaire du Défenseur des droits - nouvelle fenêtre"
          >
            formulaire en ligne
          </a>
          ) ;
        </li>
        <li>
          contacter le délégué du Défenseur des droits dans votre région (
          <a
            href="https://www.defenseurdesdroits.fr/saisir/delegues"
            target="_blank"
            rel="noopener"
            title="Délégués du Défenseur des droits - nouvelle fenêtre"
          >
            liste des délégués
          </a>
          ) ;
        </li>
        <li>
          envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX
          07.
        </li>
      </ul>
    </>
  );
}
