import type { ConservateurProfile } from "../repository.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../rules.ts";
import { Checkbox, CsrfField, InputGroup, PasswordField } from "./components.tsx";

export type AccountErrors = {
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  currentPassword?: string;
  password?: string;
  confirmation?: string;
};

export function CommunePreferencesPage(props: {
  commune: { nom: string; codeInsee: string };
  email: string;
  notifications: boolean;
  csrfToken: string;
}) {
  return (
    <>
      <h1>Préférences</h1>
      <dl>
        <dt class="fr-text--bold">Commune</dt>
        <dd>
          {props.commune.nom} ({props.commune.codeInsee})
        </dd>
        <dt class="fr-text--bold fr-mt-2w">Email</dt>
        <dd>{props.email}</dd>
      </dl>
      <p class="fr-text--sm">
        Cette adresse est celle de la mairie dans l’annuaire de service-public.fr : pour la changer, mettez à jour la fiche de la mairie sur
        l’annuaire.
      </p>
      <h2 class="fr-h4 fr-mt-4w">Préférences de communication</h2>
      <form method="post" action={`/communes/${props.commune.codeInsee}/preferences`}>
        <CsrfField token={props.csrfToken} />
        <Checkbox
          id="messages_mail_notifications"
          name="messages_mail_notifications"
          label="Recevoir un email à chaque message reçu sur la plateforme"
          checked={props.notifications}
        />
        <button type="submit" class="fr-btn fr-mt-2w">
          Sauvegarder
        </button>
      </form>
      <p class="fr-mt-4w">
        <a class="fr-link" href={`/communes/${props.commune.codeInsee}/preferences/campagne`}>
          Mails de la campagne de recensement : les arrêter ou les reprendre
        </a>
      </p>
    </>
  );
}

export function ConservateurAccountPage(props: {
  profile: ConservateurProfile & { email: string };
  /** Alert mails for objets disparus or en péril (on by default). */
  alertes: boolean;
  errors: AccountErrors;
  csrfToken: string;
}) {
  const { profile, errors } = props;
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-md-8">
        <h1>Mon compte</h1>
        <form method="post" action="/conservateurs/compte">
          <CsrfField token={props.csrfToken} />
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">Informations personnelles</legend>
            <div class="fr-fieldset__element">
              <InputGroup
                id="email"
                name="email_affiche"
                type="email"
                label="Email"
                hint="Pour changer d’adresse, contactez l’équipe Collectif Objets."
                value={profile.email}
                readOnly
              />
            </div>
            <div class="fr-fieldset__element">
              <InputGroup
                id="first_name"
                name="first_name"
                label="Prénom"
                value={profile.firstName}
                error={errors.firstName}
                autocomplete="given-name"
                required
              />
            </div>
            <div class="fr-fieldset__element">
              <InputGroup
                id="last_name"
                name="last_name"
                label="Nom"
                value={profile.lastName}
                error={errors.lastName}
                autocomplete="family-name"
                required
              />
            </div>
            <div class="fr-fieldset__element">
              <InputGroup
                id="phone_number"
                name="phone_number"
                type="tel"
                label="Téléphone"
                value={profile.phoneNumber}
                error={errors.phoneNumber}
                autocomplete="tel"
              />
            </div>
          </fieldset>
          <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend">Préférences de communication</legend>
            <div class="fr-fieldset__element">
              <Checkbox
                id="messages_mail_notifications"
                name="messages_mail_notifications"
                label="Recevoir un email à chaque message reçu sur la plateforme."
                checked={profile.messagesMailNotifications}
              />
            </div>
            <div class="fr-fieldset__element">
              <Checkbox
                id="send_recap"
                name="send_recap"
                label="Recevoir chaque semaine un récapitulatif de l’activité des communes."
                checked={profile.sendRecap}
              />
            </div>
            <div class="fr-fieldset__element">
              <Checkbox
                id="alertes_mail_notifications"
                name="alertes_mail_notifications"
                label="Recevoir les alertes (objets disparus ou en péril)"
                hint="Au plus un mail par commune et par jour, dès qu’une commune de vos départements signale un objet disparu ou en péril."
                checked={props.alertes}
              />
            </div>
          </fieldset>
          <button type="submit" class="fr-btn">
            Sauvegarder
          </button>
        </form>

        <h2 class="fr-h4 fr-mt-6w">Changer de mot de passe</h2>
        <form method="post" action="/conservateurs/compte/mot-de-passe">
          <CsrfField token={props.csrfToken} />
          <PasswordField
            id="current_password"
            name="current_password"
            label="Mot de passe actuel"
            autocomplete="current-password"
            error={errors.currentPassword}
          />
          <PasswordField
            id="password"
            name="password"
            label="Nouveau mot de passe"
            hint={`Entre ${PASSWORD_MIN_LENGTH} et ${PASSWORD_MAX_LENGTH} caractères, tous les caractères sont permis (espaces compris).`}
            autocomplete="new-password"
            error={errors.password}
          />
          <PasswordField
            id="password_confirmation"
            name="password_confirmation"
            label="Confirmation du nouveau mot de passe"
            autocomplete="new-password"
            error={errors.confirmation}
          />
          <button type="submit" class="fr-btn fr-btn--secondary fr-mt-3w">
            Changer mon mot de passe
          </button>
        </form>
      </div>
    </div>
  );
}
