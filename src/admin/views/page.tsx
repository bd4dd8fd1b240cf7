import type { FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { sendPage } from "../../ui/page.tsx";

/** Sections of the back office, in the order of the side menu. Each page names the one it belongs to. */
export const SECTIONS_ADMIN = [
  { id: "tableau", href: "/admin", label: "Tableau de bord" },
  { id: "communes", href: "/admin/communes", label: "Communes" },
  { id: "conservateurs", href: "/admin/conservateurs", label: "Conservateurs" },
  { id: "administrateurs", href: "/admin/administrateurs", label: "Administrateurs" },
  { id: "codes", href: "/admin/codes-connexion", label: "Codes de connexion" },
  { id: "campagnes", href: "/admin/campagnes", label: "Campagnes" },
  { id: "dossiers", href: "/admin/dossiers", label: "Dossiers" },
  { id: "mails", href: "/admin/mails", label: "Mails" },
  { id: "imports", href: "/admin/imports", label: "Imports" },
  { id: "taches", href: "/admin/taches", label: "Tâches de fond" },
  { id: "journal", href: "/admin/journal", label: "Journal des actions" },
  { id: "departements", href: "/admin/departements", label: "Départements et exports" },
  { id: "api", href: "/admin/api-clients", label: "Accès à l’API" },
] as const;

export type SectionAdmin = (typeof SECTIONS_ADMIN)[number]["id"];

export type PageAdmin = {
  title: string;
  section: SectionAdmin;
  /** Trail below "Administration", the page itself last (without href). */
  breadcrumbs?: { href?: string; label: string }[];
  statusCode?: number;
};

function MenuAdmin(props: { section: SectionAdmin }) {
  return (
    <nav class="fr-sidemenu" role="navigation" aria-labelledby="menu-admin-titre">
      <div class="fr-sidemenu__inner">
        <button class="fr-sidemenu__btn" aria-controls="menu-admin" aria-expanded="false" type="button">
          Sections de l’administration
        </button>
        <div class="fr-collapse" id="menu-admin">
          <p class="fr-sidemenu__title" id="menu-admin-titre">
            Administration
          </p>
          <ul class="fr-sidemenu__list">
            {SECTIONS_ADMIN.map((s) => (
              <li class={`fr-sidemenu__item${s.id === props.section ? " fr-sidemenu__item--active" : ""}`} key={s.id}>
                <a class="fr-sidemenu__link" href={s.href} {...(s.id === props.section ? { "aria-current": "page" } : {})}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </nav>
  );
}

/** A back-office page: the side menu of the sections, then the page's content. */
export function sendAdminPage(request: FastifyRequest, reply: FastifyReply, page: PageAdmin, body: ComponentChildren): FastifyReply {
  const trail = page.breadcrumbs ?? [{ label: page.title }];
  return sendPage(
    request,
    reply,
    {
      title: `${page.title} — Administration`,
      breadcrumbs: [{ href: "/admin", label: "Administration" }, ...trail],
      ...(page.statusCode ? { statusCode: page.statusCode } : {}),
    },
    <div class="fr-grid-row fr-grid-row--gutters">
      <div class="fr-col-12 fr-col-md-3">
        <MenuAdmin section={page.section} />
      </div>
      <div class="fr-col-12 fr-col-md-9">{body}</div>
    </div>,
  );
}
