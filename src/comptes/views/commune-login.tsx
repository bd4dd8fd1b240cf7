import type { CommuneForLogin } from "../repository.ts";
import { LOGIN_CODE_MAX_FAILURES, LOGIN_CODE_TTL_MINUTES } from "../rules.ts";
import { Alert, CsrfField, InputGroup } from "./components.tsx";

type Departement = { code: string; nom: string };

export type CommuneLoginProps = {
  departements: Departement[];
  departement: Departement | undefined;
  communes: { code_insee: string; nom: string }[];
  commune: CommuneForLogin | undefined;
  csrfToken: string;
};

export function CommuneLoginPage(props: CommuneLoginProps) {
  const { departement, commune } = props;
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-md-7">
        <h1>Connexion à Collectif Objets</h1>
        <p>
          Choisissez votre commune : nous envoyons un code de connexion à l’adresse email de la mairie. Aucun mot de passe n’est nécessaire.
        </p>
        {departement ? (
          <p>
            <strong>Département :</strong> {departement.code} - {departement.nom}{" "}
            <a class="fr-link fr-ml-1w" href="/communes/connexion">
              Modifier<span class="fr-sr-only"> le département</span>
            </a>
          </p>
        ) : (
          <form method="get" action="/communes/connexion">
            <div class="fr-select-group">
              <label class="fr-label" for="departement">
                Département
              </label>
              <select class="fr-select" id="departement" name="departement" required>
                <option value="" disabled selected hidden>
                  Sélectionnez votre département
                </option>
                {props.departements.map((d) => (
                  <option value={d.code} key={d.code}>
                    {d.code} - {d.nom}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="fr-btn">
              Choisir le département
            </button>
          </form>
        )}
        {departement && !commune ? (
          props.communes.length === 0 ? (
            <Alert type="info">
              <p>Aucune commune de ce département n’a d’objet protégé recensable sur Collectif Objets pour l’instant.</p>
            </Alert>
          ) : (
            <form method="get" action="/communes/connexion">
              <input type="hidden" name="departement" value={departement.code} />
              <div class="fr-select-group">
                <label class="fr-label" for="code_insee">
                  Commune
                </label>
                <select class="fr-select" id="code_insee" name="code_insee" required>
                  <option value="" disabled selected hidden>
                    Sélectionnez votre commune
                  </option>
                  {props.communes.map((c) => (
                    <option value={c.code_insee} key={c.code_insee}>
                      {c.nom} ({c.code_insee})
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" class="fr-btn">
                Choisir la commune
              </button>
            </form>
          )
        ) : null}
        {commune ? (
          <>
            <p>
              <strong>Commune :</strong> {commune.nom} ({commune.codeInsee}){" "}
              <a class="fr-link fr-ml-1w" href={`/communes/connexion?departement=${commune.departementCode}`}>
                Modifier<span class="fr-sr-only"> la commune</span>
              </a>
            </p>
            {commune.user ? (
              <>
                <Alert type="info">
                  <p>
                    Le code de connexion sera envoyé par email à <strong>{commune.user.email}</strong>. Il est valable{" "}
                    {LOGIN_CODE_TTL_MINUTES} minutes. Pensez à vérifier vos courriers indésirables (spams).
                  </p>
                </Alert>
                <ul class="fr-btns-group fr-btns-group--inline-md">
                  <li>
                    <form method="post" action="/communes/connexion">
                      <CsrfField token={props.csrfToken} />
                      <input type="hidden" name="code_insee" value={commune.codeInsee} />
                      <button type="submit" class="fr-btn">
                        Recevoir un code de connexion
                      </button>
                    </form>
                  </li>
                  <li>
                    <a class="fr-btn fr-btn--secondary" href={`/communes/connexion/code?code_insee=${commune.codeInsee}`}>
                      Saisir mon code de connexion
                    </a>
                  </li>
                </ul>
              </>
            ) : (
              <Alert type="error" title="Pas d’adresse email pour cette commune">
                <p>
                  {commune.nom} a des objets protégés, mais l’annuaire de service-public.fr n’indique aucune adresse email pour sa mairie :
                  nous ne pouvons pas lui envoyer de code de connexion. La mairie peut ajouter son adresse sur{" "}
                  <a
                    href={`https://lannuaire.service-public.fr/recherche?whoWhat=${encodeURIComponent(`mairie ${commune.nom}`)}&where=${encodeURIComponent(commune.departementNom)}`}
                    target="_blank"
                    rel="noopener"
                    title="L’annuaire de service-public.fr - nouvelle fenêtre"
                  >
                    l’annuaire de service-public.fr
                  </a>
                  .
                </p>
              </Alert>
            )}
          </>
        ) : null}
      </div>
      <div class="fr-col-12 fr-col-md-5">
        {commune ? (
          <p class="fr-text--lead">
            Connectez-vous pour recenser {commune.objetsCount > 1 ? `les ${commune.objetsCount} objets protégés` : "l’objet protégé"} de{" "}
            {commune.nom}.
          </p>
        ) : null}
        <h2 class="fr-h4">Questions fréquentes</h2>
        <h3 class="fr-h6">Je n’ai pas reçu le code</h3>
        <p>
          Vérifiez vos courriers indésirables. Le code est envoyé à l’adresse de la mairie publiée dans l’annuaire de service-public.fr ;
          vous pouvez en demander un nouveau à tout moment.
        </p>
        <h3 class="fr-h6">Je ne trouve pas ma commune</h3>
        <p>
          Seules les communes propriétaires d’au moins un objet protégé au titre des monuments historiques, et dont la mairie a une adresse
          email publique, peuvent se connecter.
        </p>
        <h3 class="fr-h6">Pourquoi pas de mot de passe ?</h3>
        <p>Pour ne rien avoir à retenir : un code à usage unique, valable {LOGIN_CODE_TTL_MINUTES} minutes, suffit.</p>
        <h3 class="fr-h6">L’adresse email n’est pas la bonne</h3>
        <p>Mettez à jour la fiche de la mairie sur l’annuaire de service-public.fr : Collectif Objets la reprend chaque semaine.</p>
      </div>
    </div>
  );
}

export function CodeEntryPage(props: {
  commune: CommuneForLogin & { user: { id: number; email: string } };
  codeSent: boolean;
  code: string;
  error: string | undefined;
  csrfToken: string;
}) {
  const { commune } = props;
  return (
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-md-7">
        <h1>Saisissez votre code de connexion</h1>
        <p class="fr-text--lead">Code de connexion pour la commune de {commune.nom}.</p>
        {props.codeSent ? (
          <p>
            Le code de connexion a été envoyé à <strong>{commune.user.email}</strong>. Pensez à vérifier vos courriers indésirables (spams).
          </p>
        ) : null}
        <form method="post" action="/communes/connexion/code">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="code_insee" value={commune.codeInsee} />
          <InputGroup
            id="code"
            name="code"
            label="Code de connexion"
            hint="6 chiffres, reçus par email"
            value={props.code}
            error={props.error}
            autocomplete="one-time-code"
            inputMode="numeric"
            maxLength={12}
            required
          />
          <button type="submit" class="fr-btn">
            Connexion
          </button>
        </form>
        <form method="post" action="/communes/connexion" class="fr-mt-4w">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="code_insee" value={commune.codeInsee} />
          <p class="fr-text--sm">
            Un code sert une seule fois, pendant {LOGIN_CODE_TTL_MINUTES} minutes, et n’est plus valable après {LOGIN_CODE_MAX_FAILURES}{" "}
            essais incorrects.
          </p>
          <button type="submit" class="fr-btn fr-btn--secondary">
            Demander un nouveau code de connexion
          </button>
        </form>
      </div>
    </div>
  );
}
