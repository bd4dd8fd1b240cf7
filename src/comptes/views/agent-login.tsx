import type { AgentType } from "../repository.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_TOKEN_TTL_HOURS, type PasswordErrors } from "../rules.ts";
import { Alert, Checkbox, CsrfField, InputGroup, PasswordField } from "./components.tsx";

export const AGENT_PATHS = {
  conservateur: {
    signIn: "/conservateurs/sign_in",
    passwordNew: "/conservateurs/password/new",
    passwordEdit: "/conservateurs/password/edit",
  },
  admin: { signIn: "/admin/connexion", passwordNew: "/admin/password/new", passwordEdit: "/admin/password/edit" },
} as const;

const WHO = { conservateur: "conservateur / conservatrice", admin: "administrateur / administratrice" } as const;

export function SignInPage(props: { type: AgentType; email: string; error: string | undefined; remember: boolean; csrfToken: string }) {
  const paths = AGENT_PATHS[props.type];
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-md-6">
        <h1>Connexion {WHO[props.type]}</h1>
        {props.error ? (
          <Alert type="error">
            <p>{props.error}</p>
          </Alert>
        ) : null}
        <form method="post" action={paths.signIn}>
          <CsrfField token={props.csrfToken} />
          <InputGroup
            id="email"
            name="email"
            type="email"
            label="Email"
            hint={props.type === "conservateur" ? "Votre adresse email professionnelle" : undefined}
            value={props.email}
            autocomplete="username"
            required
          />
          <PasswordField id="password" name="password" label="Mot de passe" autocomplete="current-password">
            <p>
              <a href={paths.passwordNew} class="fr-link">
                Mot de passe oublié ?
              </a>
            </p>
          </PasswordField>
          <Checkbox
            id="remember"
            name="remember"
            label="Se souvenir de moi"
            hint="Pendant 2 semaines sur cet appareil"
            checked={props.remember}
          />
          <button type="submit" class="fr-btn fr-mt-3w">
            Se connecter
          </button>
        </form>
      </div>
      {props.type === "conservateur" ? (
        <div class="fr-col-12 fr-col-md-6">
          <h2 class="fr-h4">Questions fréquentes</h2>
          <h3 class="fr-h6">Je n’ai pas de mot de passe</h3>
          <p>
            Les comptes des conservateurs et conservatrices sont créés à l’avance. Pour votre première connexion, utilisez{" "}
            <a href={paths.passwordNew}>« Mot de passe oublié ? »</a> : vous recevrez un lien pour définir votre mot de passe.
          </p>
          <h3 class="fr-h6">Je me connectais avec un lien reçu par email</h3>
          <p>Ces liens de connexion n’existent plus : définissez un mot de passe avec le lien ci-dessus.</p>
        </div>
      ) : null}
    </div>
  );
}

export function PasswordRequestPage(props: { type: AgentType; email: string; error: string | undefined; csrfToken: string }) {
  const paths = AGENT_PATHS[props.type];
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-md-7">
        <h1>Première connexion ou mot de passe oublié</h1>
        <p>
          Saisissez l’adresse email de votre compte {WHO[props.type]} : si elle correspond à un compte, vous recevrez un lien pour définir
          votre mot de passe, valable {PASSWORD_TOKEN_TTL_HOURS} heures.
        </p>
        <form method="post" action={paths.passwordNew}>
          <CsrfField token={props.csrfToken} />
          <InputGroup
            id="email"
            name="email"
            type="email"
            label="Email"
            value={props.email}
            error={props.error}
            autocomplete="username"
            required
          />
          <button type="submit" class="fr-btn">
            Recevoir le lien
          </button>
        </form>
        <p class="fr-mt-3w">
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={paths.signIn}>
            Retour à la connexion
          </a>
        </p>
      </div>
    </div>
  );
}

export function PasswordEditPage(props: { type: AgentType; token: string; errors: PasswordErrors; csrfToken: string }) {
  const paths = AGENT_PATHS[props.type];
  return (
    <div class="fr-grid-row">
      <div class="fr-col-12 fr-col-md-7">
        <h1>(Re-)définir votre mot de passe {props.type === "admin" ? "administrateur" : "conservateur"}</h1>
        <form method="post" action={paths.passwordEdit}>
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="token" value={props.token} />
          <PasswordField
            id="password"
            name="password"
            label="Nouveau mot de passe"
            hint={`Entre ${PASSWORD_MIN_LENGTH} et ${PASSWORD_MAX_LENGTH} caractères, tous les caractères sont permis (espaces compris).`}
            autocomplete="new-password"
            error={props.errors.password}
          />
          <PasswordField
            id="password_confirmation"
            name="password_confirmation"
            label="Confirmation du nouveau mot de passe"
            autocomplete="new-password"
            error={props.errors.confirmation}
          />
          <button type="submit" class="fr-btn fr-mt-3w">
            Enregistrer mon mot de passe
          </button>
        </form>
      </div>
    </div>
  );
}
