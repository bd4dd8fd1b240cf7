import { Layout } from "./layout.tsx";

export function ErrorPage(props: { nonce: string; currentPath: string; statusCode: number; title: string; message: string }) {
  return (
    <Layout title={props.title} nonce={props.nonce} currentPath={props.currentPath}>
      <div class="fr-grid-row fr-grid-row--gutters fr-my-7w">
        <div class="fr-col-12 fr-col-md-8">
          <h1>{props.title}</h1>
          <p class="fr-text--sm fr-mb-3w">Erreur {props.statusCode}</p>
          <p class="fr-text--lead fr-mb-3w">{props.message}</p>
          {props.statusCode >= 500 ? (
            <p class="fr-text--sm fr-mb-5w">
              Essayez de rafraîchir la page ou réessayez un peu plus tard. Si le problème persiste, écrivez-nous : rien de ce que vous avez
              saisi auparavant n’a été perdu.
            </p>
          ) : (
            <p class="fr-text--sm fr-mb-5w">
              Si vous avez tapé l’adresse web dans le navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible.
            </p>
          )}
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/">
                Page d’accueil
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/plan">
                Plan du site
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
