import { Accordions, Summary } from "../../ui/components.tsx";

const ETAPES = [
  {
    titre: "Vous recevez une invitation, ou vous venez de vous-même",
    texte: (
      <p>
        Lors d’une campagne de recensement dans votre département, la mairie reçoit un e-mail des conservateurs. Vous pouvez aussi commencer
        à tout moment : il suffit de vous connecter avec l’adresse e-mail de la mairie, qui reçoit un code de connexion à usage unique.
      </p>
    ),
  },
  {
    titre: "Vous consultez la liste de vos objets",
    texte: (
      <p>
        Les objets protégés de la commune sont classés par édifice (église, chapelle, mairie…), avec les photos et descriptions connues.
        Cette liste est aussi publique : chacun peut la consulter sans se connecter.
      </p>
    ),
  },
  {
    titre: "Vous allez voir chaque objet sur place",
    texte: (
      <p>
        Pour chaque objet, un questionnaire de quelques questions : l’objet est-il à sa place ? Est-il accessible ? Dans quel état est-il ?
        Serait-il facile à voler ? Ajoutez quelques photos prises avec un téléphone. Vous pouvez vous interrompre et reprendre plus tard :
        vos réponses sont enregistrées à chaque étape. Le <a href="/guide-de-recensement">guide de recensement</a> explique comment préparer
        la visite, juger l’état d’un objet et prendre des photos utiles.
      </p>
    ),
  },
  {
    titre: "Vous envoyez votre recensement",
    texte: (
      <p>
        Une fois tous les objets recensés, vous relisez vos réponses, ajoutez si besoin un commentaire général et envoyez le dossier aux
        conservateurs.
      </p>
    ),
  },
  {
    titre: "Le conservateur examine et vous répond",
    texte: (
      <p>
        Le conservateur des antiquités et objets d’art (CAOA) ou le conservateur des monuments historiques étudie chaque recensement,
        corrige au besoin l’état indiqué, et vous transmet ses observations, accompagnées de fiches conseil adaptées. Une messagerie vous
        permet d’échanger avec lui à tout moment.
      </p>
    ),
  },
];

const FAQ = [
  {
    id: "faq-apres-envoi",
    title: "Que se passe-t-il une fois mon recensement envoyé ?",
    content: (
      <>
        <p>
          Votre dossier est transmis aux conservateurs de votre département. Ils examinent en priorité les objets signalés en péril ou
          introuvables. Vous recevez un e-mail lorsque l’examen est terminé ; il est aussi consultable dans votre espace.
        </p>
        <p>
          Vos photos et observations enrichissent ensuite les bases nationales du patrimoine : elles serviront aux prochains récolements
          officiels.
        </p>
      </>
    ),
  },
  {
    id: "faq-restauration",
    title: "Un objet a besoin d’être restauré : que faire ?",
    content: (
      <p>
        Signalez son état dans le questionnaire et décrivez ce que vous observez. Un objet protégé ne peut pas être restauré sans l’accord
        des services de l’État : le conservateur vous indiquera la marche à suivre et les aides possibles. Consultez la fiche{" "}
        <a href="/fiches/restauration">Étapes préalables à la restauration</a>.
      </p>
    ),
  },
  {
    id: "faq-introuvable",
    title: "Je ne trouve pas un objet : que faire ?",
    content: (
      <>
        <p>
          Cherchez d’abord dans les autres édifices de la commune, les sacristies, les combles ou les réserves, et demandez aux personnes
          qui connaissent les lieux (affectataire, association, anciens élus). Un objet peut avoir été déplacé ou prêté pour une exposition.
        </p>
        <p>
          Si l’objet reste introuvable, indiquez-le dans le questionnaire en choisissant « l’objet est introuvable ». Le conservateur
          prendra contact avec vous. En cas de vol avéré, suivez la fiche <a href="/fiches/depot_plainte">Dépôt de plainte</a>.
        </p>
      </>
    ),
  },
  {
    id: "faq-objets-manquants",
    title: "Pourquoi certains objets de la commune ne sont-ils pas dans la liste ?",
    content: (
      <>
        <p>
          Collectif Objets ne contient que les objets mobiliers protégés au titre des monuments historiques (classés ou inscrits). Ne sont
          pas repris :
        </p>
        <ul>
          <li>les objets non protégés, même anciens ou de grande valeur ;</li>
          <li>les objets appartenant à l’État (par exemple dans les cathédrales) ;</li>
          <li>les éléments décrits au sein d’un ensemble (« sous-dossiers »), recensés avec l’ensemble ;</li>
          <li>les objets déjà signalés comme volés ou manquants.</li>
        </ul>
      </>
    ),
  },
  {
    id: "faq-sur-place",
    title: "Pourquoi faut-il se rendre sur place ?",
    content: (
      <p>
        Seul un regard direct permet de s’assurer qu’un objet est toujours là et d’en constater l’état : une fissure, des traces d’insectes,
        une fixation qui lâche. Les photos récentes sont aussi précieuses : en cas de vol, elles facilitent les recherches de la gendarmerie
        et des douanes.
      </p>
    ),
  },
  {
    id: "faq-entretien",
    title: "Comment entretenir les objets au quotidien ?",
    content: (
      <p>
        Un entretien doux et régulier suffit le plus souvent : dépoussiérage, aération de l’édifice, surveillance de l’humidité. Évitez tout
        produit ménager. Voir les fiches <a href="/fiches/entretien_objets">Entretien des objets</a> et{" "}
        <a href="/fiches/entretien_edifices">Entretien de l’édifice et lutte contre les infestations</a>.
      </p>
    ),
  },
  {
    id: "faq-securite",
    title: "Comment protéger les objets contre le vol ?",
    content: (
      <p>
        Fermeture de l’édifice en dehors des heures de présence, fixation des petits objets, mise en réserve des pièces les plus exposées,
        photographies à jour : la fiche <a href="/fiches/securisation">Sécuriser vos objets</a> détaille les mesures simples et celles à
        étudier avec le conservateur.
      </p>
    ),
  },
];

export function CommentCaMarchePage() {
  return (
    <>
      <h1>Comment ça marche ?</h1>
      <p class="fr-text--lead">
        Collectif Objets permet aux communes de recenser elles-mêmes les objets protégés dont elles sont propriétaires, et aux conservateurs
        de les accompagner.
      </p>
      <Summary
        items={[
          { anchor: "etapes", label: "Les étapes du recensement" },
          { anchor: "faq", label: "Questions fréquentes" },
        ]}
      />
      <h2 id="etapes">Les étapes du recensement</h2>
      <ol class="co-steps-list">
        {ETAPES.map((etape) => (
          <li key={etape.titre}>
            <h3 class="fr-h5">{etape.titre}</h3>
            {etape.texte}
          </li>
        ))}
      </ol>
      <p>
        <a class="fr-btn" href="/communes/connexion">
          Commencer le recensement
        </a>
      </p>
      <h2 id="faq" class="fr-mt-6w">
        Questions fréquentes
      </h2>
      <Accordions items={FAQ} />
    </>
  );
}
