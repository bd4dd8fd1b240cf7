type Entry = { label: string; href?: string };
type Section = { id: string; title: string; intro?: string; entries: Entry[] };

/** Pages anyone can open get a link; pages of signed-in interfaces are listed as plain text. */
export const PLAN: Section[] = [
  {
    id: "plan-public",
    title: "Pages publiques",
    entries: [
      { label: "Accueil", href: "/" },
      { label: "Comment ça marche ?", href: "/comment-ca-marche" },
      { label: "Guide de recensement", href: "/guide-de-recensement" },
      { label: "Guide de recensement en PDF, à imprimer", href: "/guide-de-recensement.pdf" },
      { label: "Fiches conseil", href: "/fiches" },
      { label: "Entretien des objets", href: "/fiches/entretien_objets" },
      { label: "Étapes préalables à la restauration", href: "/fiches/restauration" },
      { label: "Entretien de l’édifice et lutte contre les infestations", href: "/fiches/entretien_edifices" },
      { label: "Sécuriser vos objets", href: "/fiches/securisation" },
      { label: "Dépôt de plainte", href: "/fiches/depot_plainte" },
      { label: "Statistiques", href: "/stats" },
      { label: "Objets protégés d’une commune (une page par commune)" },
      { label: "Fiche d’un objet (une page par objet)" },
      { label: "Plan du site", href: "/plan" },
      { label: "Mentions légales", href: "/mentions-legales" },
      { label: "Données personnelles", href: "/confidentialite" },
      { label: "Déclaration d’accessibilité", href: "/declaration-accessibilite" },
    ],
  },
  {
    id: "plan-connexion",
    title: "Connexion",
    entries: [
      { label: "Connexion commune", href: "/communes/connexion" },
      { label: "Connexion conservateur", href: "/conservateurs/sign_in" },
      { label: "Mot de passe oublié (conservateurs)", href: "/conservateurs/password/new" },
      { label: "Connexion administrateur", href: "/admin/connexion" },
    ],
  },
  {
    id: "plan-commune",
    title: "Espace commune",
    intro: "Accessible à la mairie une fois connectée.",
    entries: [
      { label: "Liste des objets à recenser, par édifice" },
      { label: "Fiche d’un objet et questionnaire de recensement en 7 étapes" },
      { label: "Finalisation et envoi du recensement" },
      { label: "Examen du conservateur" },
      { label: "Messagerie avec les conservateurs" },
      { label: "Mon compte et préférences de notification" },
    ],
  },
  {
    id: "plan-conservateur",
    title: "Espace conservateur",
    intro: "Accessible aux conservateurs, pour leurs départements.",
    entries: [
      { label: "Mes départements" },
      { label: "Tableau de bord d’un département (communes, carte, filtres)" },
      { label: "Page d’une commune : recensement, examen, historique, bordereaux, messagerie" },
      { label: "Examen d’un recensement" },
      { label: "Campagnes de recensement" },
      { label: "Mon compte" },
    ],
  },
  {
    id: "plan-admin",
    title: "Administration",
    intro: "Réservée à l’équipe du service.",
    entries: [
      { label: "Conservateurs et leurs départements" },
      { label: "Communes et comptes des mairies" },
      { label: "Campagnes" },
      { label: "Mails envoyés et reçus" },
      { label: "Synchronisations des données et exports vers les bases nationales" },
    ],
  },
];

export function PlanPage() {
  return (
    <>
      <h1>Plan du site</h1>
      {PLAN.map((section) => (
        <section key={section.id} aria-labelledby={section.id} class="fr-mb-4w">
          <h2 id={section.id} class="fr-h4">
            {section.title}
          </h2>
          {section.intro ? <p>{section.intro}</p> : null}
          <ul>
            {section.entries.map((entry) => (
              <li key={entry.label}>{entry.href ? <a href={entry.href}>{entry.label}</a> : entry.label}</li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
