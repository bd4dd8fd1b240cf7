import { STATUT_GLOBAL_LABELS, type StatutGlobal } from "../../dossier/rules.ts";
import type { Breadcrumb } from "../../ui/layout.tsx";
import { NON_LUS_MAX } from "../../messagerie/repository.ts";
import { Onglets } from "../../ui/onglets.tsx";

/** What the top of every page of the conservateur's commune needs. */
export type EnteteCommune = {
  code_insee: string;
  nom: string;
  departement_code: string;
  departement_nom: string;
  statut_global: StatutGlobal;
  /** Shown on the Messagerie tab; 0 on the thread itself, which marks them read. */
  messages_non_lus?: number;
};

export type OngletCommune = "recensement" | "examen" | "messagerie" | "bordereaux" | "historique";

export function communeConservateurUrl(codeInsee: string, onglet: OngletCommune = "recensement"): string {
  const base = `/conservateurs/communes/${codeInsee}`;
  return onglet === "recensement" ? base : `${base}/${onglet}`;
}

export function envoiExamenUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/envoi-examen`;
}

export function recensementsSupprimesUrl(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}/recensements-supprimes`;
}

const SEVERITE_STATUT: Record<StatutGlobal, string> = {
  0: "",
  1: " fr-badge--new",
  2: " fr-badge--info",
  3: " fr-badge--warning",
  4: " fr-badge--info",
  5: " fr-badge--success",
};

/** The commune's statut global (RB §3.6) as a DSFR badge. */
export function StatutGlobalBadge({ statut, small }: { statut: StatutGlobal; small?: boolean }) {
  return (
    <p class={`fr-badge${small ? " fr-badge--sm" : ""}${SEVERITE_STATUT[statut]}`}>
      <span class="fr-sr-only">Statut : </span>
      {STATUT_GLOBAL_LABELS[statut]}
    </p>
  );
}

/**
 * Mes départements › "01 - Ain" › commune; `page` adds a last level under the commune (the commune
 * then links back to its Recensement tab).
 */
export function communeBreadcrumbs(commune: EnteteCommune, page?: string): Breadcrumb[] {
  const communeLabel = `${commune.nom} (${commune.code_insee})`;
  return [
    { href: "/conservateurs/departements", label: "Mes départements" },
    { href: `/conservateurs/departements/${commune.departement_code}`, label: `${commune.departement_code} - ${commune.departement_nom}` },
    ...(page ? [{ href: communeConservateurUrl(commune.code_insee), label: communeLabel }, { label: page }] : [{ label: communeLabel }]),
  ];
}

const ONGLETS: { onglet: OngletCommune; label: string }[] = [
  { onglet: "recensement", label: "Recensement" },
  { onglet: "examen", label: "Examen" },
  { onglet: "messagerie", label: "Messagerie" },
  { onglet: "bordereaux", label: "Bordereaux de récolement" },
  { onglet: "historique", label: "Historique" },
];

function libelleMessagerie(nonLus: number): string {
  const n = nonLus > NON_LUS_MAX ? `${NON_LUS_MAX}+` : String(nonLus);
  return `Messagerie (${n} non ${nonLus > 1 ? "lus" : "lu"})`;
}

/**
 * H1 "<nom> (<insee>)" with the statut global badge, then the tabs of the commune page (RB §5.5); each
 * tab is its own URL. `onglet` null on a page below a tab (no tab marked current).
 */
export function CommuneConservateurEntete({ commune, onglet }: { commune: EnteteCommune; onglet: OngletCommune | null }) {
  return (
    <>
      <div class="cc-entete">
        <h1 class="fr-mb-0">
          {commune.nom} ({commune.code_insee})
        </h1>
        <StatutGlobalBadge statut={commune.statut_global} />
      </div>
      <Onglets
        label={`Onglets de la commune ${commune.nom}`}
        items={ONGLETS.map((item) => ({
          href: communeConservateurUrl(commune.code_insee, item.onglet),
          label: item.onglet === "messagerie" && commune.messages_non_lus ? libelleMessagerie(commune.messages_non_lus) : item.label,
          current: item.onglet === onglet,
        }))}
      />
    </>
  );
}
