import type { ComponentChildren } from "preact";

export type NavItem = {
  href: string;
  label: string;
  /** Current only on this very page, not on the pages below it. */
  exact?: boolean;
  /** Path prefixes of other pages for which this item is the current one. */
  sections?: string[];
};
export type Breadcrumb = { href?: string; label: string };
export type Notice = { type: "success" | "error" | "info" | "warning"; message: string };

export type LayoutProps = {
  title: string;
  /** CSP nonce of this response, for the DSFR script tags. */
  nonce: string;
  currentPath: string;
  children: ComponentChildren;
  breadcrumbs?: Breadcrumb[];
  notices?: Notice[];
  /** Links shown top right (login links for visitors, account links for signed-in people). */
  toolLinks?: { href: string; label: string; icon: string }[];
  nav?: NavItem[];
  description?: string;
  /** Signed-in person's own links and sign-out button (replaces the login links). */
  account?: AccountHeader;
  /** Shown while an admin acts as someone else. */
  impersonation?: ImpersonationBanner;
  /** Header search (conservateurs): a GET form, enhanced by the `recherche` client module when present. */
  search?: HeaderSearch;
};

export type HeaderSearch = {
  action: string;
  label: string;
  placeholder: string;
  /** Suggestions endpoint (JSON) for the autocomplete. */
  suggestUrl?: string;
  /** URL of the autocomplete module, added by the page chrome. */
  scriptUrl?: string;
};

export type AccountHeader = {
  links: { href: string; label: string; icon: string }[];
  signOut: { action: string; csrfToken: string };
};

export type ImpersonationBanner = {
  /** e.g. "la commune de Bourg (01053)". */
  target: string;
  write: boolean;
  csrfToken: string;
  /** Page to come back to after switching mode. */
  returnTo: string;
};

export const SITE_NAME = "Collectif Objets";
export const SITE_TAGLINE = "Recensement participatif du patrimoine mobilier protégé";

const DEFAULT_TOOL_LINKS = [
  { href: "/communes/connexion", label: "Connexion commune", icon: "fr-icon-account-circle-line" },
  { href: "/conservateurs/sign_in", label: "Connexion conservateur", icon: "fr-icon-lock-line" },
];

export const PUBLIC_NAV: NavItem[] = [
  { href: "/", label: "Accueil" },
  { href: "/comment-ca-marche", label: "Comment ça marche ?" },
  { href: "/fiches", label: "Fiches conseil" },
  { href: "/stats", label: "Statistiques" },
];

function isCurrent(currentPath: string, item: NavItem): boolean {
  const under = (href: string) => currentPath === href || currentPath.startsWith(`${href}/`);
  if (item.href === "/" || item.exact) return currentPath === item.href;
  return under(item.href) || (item.sections ?? []).some((prefix) => currentPath.startsWith(prefix));
}

export function Layout(props: LayoutProps) {
  const toolLinks = props.account ? props.account.links : (props.toolLinks ?? DEFAULT_TOOL_LINKS);
  const nav = props.nav ?? PUBLIC_NAV;
  const fullTitle = props.title === SITE_NAME ? SITE_NAME : `${props.title} — ${SITE_NAME}`;
  return (
    <html lang="fr" data-fr-scheme="system">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <title>{fullTitle}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <meta name="format-detection" content="telephone=no" />
        <link rel="stylesheet" href="/dsfr/dsfr.min.css" />
        <link rel="stylesheet" href="/dsfr/utility/icons/icons.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="apple-touch-icon" href="/dsfr/favicon/apple-touch-icon.png" />
        <link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml" />
        <link rel="shortcut icon" href="/dsfr/favicon/favicon.ico" type="image/x-icon" />
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" role="navigation" aria-label="Accès rapide">
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#contenu">
                  Contenu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#navigation-principale">
                  Menu
                </a>
              </li>
              <li>
                <a class="fr-link" href="#pied-de-page">
                  Pied de page
                </a>
              </li>
            </ul>
          </nav>
        </div>
        {props.impersonation ? <ImpersonationNotice {...props.impersonation} /> : null}
        <header role="banner" class="fr-header">
          <div class="fr-header__body">
            <div class="fr-container">
              <div class="fr-header__body-row">
                <div class="fr-header__brand fr-enlarge-link">
                  <div class="fr-header__brand-top">
                    <div class="fr-header__logo">
                      <p class="fr-logo">
                        République
                        <br />
                        Française
                      </p>
                    </div>
                    <div class="fr-header__navbar">
                      {props.search ? (
                        <button
                          class="fr-btn--search fr-btn"
                          data-fr-opened="false"
                          aria-controls="recherche-entete-modale"
                          id="bouton-recherche"
                          title={props.search.label}
                          type="button"
                        >
                          {props.search.label}
                        </button>
                      ) : null}
                      <button
                        class="fr-btn--menu fr-btn"
                        data-fr-opened="false"
                        aria-controls="menu-principal"
                        aria-haspopup="menu"
                        id="bouton-menu"
                        title="Menu"
                        type="button"
                      >
                        Menu
                      </button>
                    </div>
                  </div>
                  <div class="fr-header__service">
                    <a href="/" title={`Accueil - ${SITE_NAME}`}>
                      <p class="fr-header__service-title">{SITE_NAME}</p>
                    </a>
                    <p class="fr-header__service-tagline">{SITE_TAGLINE}</p>
                  </div>
                </div>
                <div class="fr-header__tools">
                  <div class="fr-header__tools-links">
                    <ul class="fr-btns-group">
                      {toolLinks.map((link) => (
                        <li key={link.href}>
                          <a class={`fr-btn ${link.icon}`} href={link.href}>
                            {link.label}
                          </a>
                        </li>
                      ))}
                      {props.account ? (
                        <li>
                          <form method="post" action={props.account.signOut.action}>
                            <input type="hidden" name="_csrf" value={props.account.signOut.csrfToken} />
                            <button type="submit" class="fr-btn fr-icon-logout-box-r-line">
                              Déconnexion
                            </button>
                          </form>
                        </li>
                      ) : null}
                    </ul>
                  </div>
                  {props.search ? <HeaderSearchForm {...props.search} /> : null}
                </div>
              </div>
            </div>
          </div>
          <div class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="bouton-menu">
            <div class="fr-container">
              <button class="fr-btn--close fr-btn" aria-controls="menu-principal" title="Fermer" type="button">
                Fermer
              </button>
              <div class="fr-header__menu-links" />
              <nav class="fr-nav" id="navigation-principale" role="navigation" aria-label="Menu principal">
                <ul class="fr-nav__list">
                  {nav.map((item) => (
                    <li class="fr-nav__item" key={item.href}>
                      <a class="fr-nav__link" href={item.href} aria-current={isCurrent(props.currentPath, item) ? "page" : undefined}>
                        {item.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
          </div>
        </header>
        <main id="contenu" role="main" tabIndex={-1}>
          <div class="fr-container fr-pb-6w">
            {props.breadcrumbs && props.breadcrumbs.length > 0 ? <Breadcrumbs items={props.breadcrumbs} /> : <div class="fr-pt-4w" />}
            {(props.notices ?? []).map((notice, index) => (
              <div
                class={`fr-alert fr-alert--${notice.type} fr-alert--sm fr-mb-3w`}
                role={notice.type === "error" ? "alert" : "status"}
                key={index}
              >
                <p>{notice.message}</p>
              </div>
            ))}
            {props.children}
          </div>
        </main>
        <Footer />
        <script type="module" src="/dsfr/dsfr.module.min.js" nonce={props.nonce} />
        <script noModule src="/dsfr/dsfr.nomodule.min.js" nonce={props.nonce} />
        {props.search?.scriptUrl ? <script type="module" src={props.search.scriptUrl} nonce={props.nonce} /> : null}
      </body>
    </html>
  );
}

function HeaderSearchForm(props: HeaderSearch) {
  return (
    <div class="fr-header__search fr-modal" id="recherche-entete-modale" aria-labelledby="bouton-recherche">
      <div class="fr-container fr-container-lg--fluid">
        <button class="fr-btn--close fr-btn" aria-controls="recherche-entete-modale" title="Fermer" type="button">
          Fermer
        </button>
        <form
          class="fr-search-bar"
          id="recherche-entete"
          role="search"
          method="get"
          action={props.action}
          data-suggestions={props.suggestUrl}
        >
          <label class="fr-label" for="recherche-entete-champ">
            {props.label}
          </label>
          <input
            class="fr-input"
            placeholder={props.placeholder}
            type="search"
            id="recherche-entete-champ"
            name="q"
            autoComplete="off"
            minLength={2}
            maxLength={100}
          />
          <button class="fr-btn" title={props.label} type="submit">
            {props.label}
          </button>
        </form>
      </div>
    </div>
  );
}

function ImpersonationNotice(props: ImpersonationBanner) {
  return (
    <div class="fr-notice fr-notice--warning">
      <div class="fr-container">
        <div class="fr-notice__body">
          <p class="fr-notice__title">
            Vous incarnez {props.target} en mode {props.write ? "écriture" : "lecture seule"}.
          </p>
          <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">
            <li>
              <form method="post" action="/admin/incarnation/mode">
                <input type="hidden" name="_csrf" value={props.csrfToken} />
                <input type="hidden" name="mode" value={props.write ? "lecture" : "ecriture"} />
                <input type="hidden" name="retour" value={props.returnTo} />
                <button type="submit" class="fr-btn fr-btn--secondary">
                  {props.write ? "Passer en mode lecture seule" : "Passer en mode écriture"}
                </button>
              </form>
            </li>
            <li>
              <form method="post" action="/admin/incarnation/arreter">
                <input type="hidden" name="_csrf" value={props.csrfToken} />
                <button type="submit" class="fr-btn">
                  Arrêter l’incarnation
                </button>
              </form>
            </li>
          </ul>
        </div>
      </div>
    </div>
  );
}

function Breadcrumbs({ items }: { items: Breadcrumb[] }) {
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane" type="button">
        Voir le fil d’Ariane
      </button>
      <div class="fr-collapse" id="fil-ariane">
        <ol class="fr-breadcrumb__list">
          {items.map((item, index) => (
            <li key={index}>
              {item.href && index < items.length - 1 ? (
                <a class="fr-breadcrumb__link" href={item.href}>
                  {item.label}
                </a>
              ) : (
                <a class="fr-breadcrumb__link" aria-current="page">
                  {item.label}
                </a>
              )}
            </li>
          ))}
        </ol>
      </div>
    </nav>
  );
}

function Footer() {
  return (
    <footer class="fr-footer" role="contentinfo" id="pied-de-page">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title={`Retour à l’accueil du site - ${SITE_NAME} - République Française`}>
              <p class="fr-logo">
                République
                <br />
                Française
              </p>
            </a>
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">
              {SITE_NAME} aide les communes et les conservateurs à recenser les objets mobiliers protégés au titre des monuments historiques
              : retables, cloches, tableaux, statues, orgues…
            </p>
            <ul class="fr-footer__content-list">
              {[
                ["https://www.culture.gouv.fr", "culture.gouv.fr"],
                ["https://pop.culture.gouv.fr", "pop.culture.gouv.fr"],
                ["https://www.service-public.fr", "service-public.fr"],
                ["https://www.data.gouv.fr", "data.gouv.fr"],
              ].map(([href, label]) => (
                <li class="fr-footer__content-item" key={href}>
                  <a class="fr-footer__content-link" target="_blank" rel="noopener" href={href} title={`${label} - nouvelle fenêtre`}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            {[
              ["/plan", "Plan du site"],
              ["/declaration-accessibilite", "Accessibilité : non conforme"],
              ["/mentions-legales", "Mentions légales"],
              ["/confidentialite", "Données personnelles"],
              ["/comment-ca-marche", "Aide"],
            ].map(([href, label]) => (
              <li class="fr-footer__bottom-item" key={href}>
                <a class="fr-footer__bottom-link" href={href}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>
              Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous{" "}
              <a
                href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
                target="_blank"
                rel="noopener"
                title="licence etalab-2.0 - nouvelle fenêtre"
              >
                licence etalab-2.0
              </a>
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}
