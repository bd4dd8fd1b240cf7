import { CsrfField } from "../../comptes/views/components.tsx";
import { EdificeHeading, EdificeIndex, PourquoiCetteListe } from "../../patrimoine/views/commune.tsx";
import { ObjetCard } from "../../patrimoine/views/objet-card.tsx";
import { type EdificeGroup, objetTitle, pluralize } from "../../patrimoine/rules.ts";
import type { DossierStatus, RecensementStatus } from "../../platform/db/schema.ts";
import { Accordions, Pagination } from "../../ui/components.tsx";
import type { CommuneRecensement, ObjetDeListe } from "../objets-repository.ts";
import { type ActionObjet, actionObjet, badgeRecensement } from "../rules.ts";
import { ETAPES_RECENSEMENT } from "./premiere-visite.tsx";

/** What the top of the list says, by the state of the commune's current dossier (RB §4.3). */
export type EtatListe =
  | { kind: "inactive"; objets: number }
  | { kind: "en_cours"; restants: number }
  | { kind: "tous_recenses"; objets: number }
  | { kind: "envoye"; voirDonnees: boolean }
  | { kind: "examine"; conservateur: string | null; date: Date | null };

export function etatListe(commune: CommuneRecensement, objets: readonly { recensement_status: RecensementStatus | null }[]): EtatListe {
  const dossier = commune.dossier;
  switch (dossier?.status) {
    case undefined:
      return { kind: "inactive", objets: objets.length };
    case "construction": {
      const restants = objets.filter((objet) => objet.recensement_status !== "completed").length;
      return objets.length > 0 && restants === 0 ? { kind: "tous_recenses", objets: objets.length } : { kind: "en_cours", restants };
    }
    case "submitted":
      return { kind: "envoye", voirDonnees: !commune.conservateur_a_ecrit };
    case "accepted":
      return { kind: "examine", conservateur: dossier.conservateur_nom, date: dossier.accepted_at };
  }
}

export function titreListe(etat: EtatListe, communeNom: string): string {
  switch (etat.kind) {
    case "inactive":
      return etat.objets === 0
        ? "Aucun objet protégé à recenser"
        : pluralize(etat.objets, "objet protégé à recenser", "objets protégés à recenser");
    case "en_cours":
      return `Il reste ${pluralize(etat.restants, "objet protégé à recenser", "objets protégés à recenser")}`;
    case "tous_recenses":
      return "Tous les objets ont été recensés";
    case "envoye":
    case "examine":
      return `Les objets protégés de ${communeNom}`;
  }
}

const dateLongue = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });

/** "1er mars 2026", "12 mars 2026". */
export function formatDateLongue(date: Date): string {
  return dateLongue.format(date).replace(/^1 /, "1er ");
}

export function RecensementBadges(props: { status: RecensementStatus | null; dossierStatus: DossierStatus | null; commentaires: boolean }) {
  const badge = badgeRecensement(props.status, props.dossierStatus);
  const commentaires = props.commentaires && props.dossierStatus === "accepted";
  if (!badge && !commentaires) return null;
  return (
    <ul class="fr-badges-group">
      {badge ? (
        <li>
          <p class={`fr-badge fr-badge--sm fr-badge--${badge.severity}`}>{badge.label}</p>
        </li>
      ) : null}
      {commentaires ? (
        <li>
          <p class="fr-badge fr-badge--sm fr-badge--purple-glycine">Commentaires</p>
        </li>
      ) : null}
    </ul>
  );
}

export function objetHref(codeInsee: string, objetId: number): string {
  return `/communes/${codeInsee}/objets/${objetId}`;
}

/**
 * The button of an objet (card and objet page): "Recenser" creates the recensement, so it is a
 * POST form; "Compléter" and "Modifier" open the questionnaire; "Afficher" opens the objet page.
 * The objet's title completes the label for screen readers, the list repeating the same words.
 */
export function BoutonAction(props: {
  action: ActionObjet;
  codeInsee: string;
  objetId: number;
  titre: string;
  csrfToken: string;
  small?: boolean;
}) {
  const { action, codeInsee, objetId } = props;
  const size = props.small ? " fr-btn--sm" : "";
  const contexte = <span class="fr-sr-only"> l’objet « {props.titre} »</span>;
  const recensement = `${objetHref(codeInsee, objetId)}/recensement`;
  switch (action) {
    case "Recenser":
      return (
        <form method="post" action={recensement}>
          <CsrfField token={props.csrfToken} />
          <button type="submit" class={`fr-btn${size}`}>
            Recenser{contexte}
          </button>
        </form>
      );
    case "Compléter":
      return (
        <a class={`fr-btn${size}`} href={recensement}>
          Compléter{contexte}
        </a>
      );
    case "Modifier":
      return (
        <a class={`fr-btn fr-btn--secondary${size}`} href={recensement}>
          Modifier{contexte}
        </a>
      );
    case "Afficher":
      return (
        <a class={`fr-btn fr-btn--tertiary${size}`} href={objetHref(codeInsee, objetId)}>
          Afficher{contexte}
        </a>
      );
  }
}

export function CommentCaMarche() {
  return (
    <Accordions
      level={2}
      items={[
        {
          id: "comment-ca-marche",
          title: "Comment ça marche ?",
          content: (
            <ol class="co-steps-list">
              {ETAPES_RECENSEMENT.map((etape) => (
                <li key={etape.titre}>
                  <h3 class="fr-h6 fr-mb-1w">{etape.titre}</h3>
                  <p>{etape.texte}</p>
                </li>
              ))}
            </ol>
          ),
        },
      ]}
    />
  );
}

function EnTete(props: { etat: EtatListe; codeInsee: string }) {
  const { etat, codeInsee } = props;
  switch (etat.kind) {
    case "inactive":
    case "en_cours":
      return <CommentCaMarche />;
    case "tous_recenses": {
      const pluriel = etat.objets > 1;
      return (
        <div class="fr-callout fr-callout--green-emeraude fr-icon-checkbox-circle-line">
          <p class="fr-callout__text">
            Il ne vous reste plus qu’à envoyer {pluriel ? "les recensements" : "le recensement"} aux conservateurs.
          </p>
          <a class="fr-btn fr-mt-2w" href={`/communes/${codeInsee}/dossier/finalisation`}>
            {pluriel ? "Envoyer les recensements" : "Envoyer le recensement"}
          </a>
        </div>
      );
    }
    case "envoye":
      return (
        <div class="fr-callout fr-icon-checkbox-circle-line">
          <h2 class="fr-callout__title">Le recensement de vos objets est terminé, merci !</h2>
          <p class="fr-callout__text">
            Vos données vont être transmises aux conservateurs, qui les examineront et vous feront part de leurs observations.
          </p>
          {etat.voirDonnees ? (
            <a class="fr-btn fr-btn--secondary fr-mt-2w" href={`/communes/${codeInsee}/dossier/donnees-envoyees`}>
              Voir les données envoyées
            </a>
          ) : null}
        </div>
      );
    case "examine":
      return (
        <div class="fr-callout fr-icon-checkbox-circle-line">
          <h2 class="fr-callout__title">Dossier examiné par le conservateur</h2>
          <p class="fr-callout__text">
            {etat.conservateur ?? "Le conservateur"} a examiné votre dossier{etat.date ? ` le ${formatDateLongue(etat.date)}` : ""}.
          </p>
          <a class="fr-btn fr-mt-2w" href={`/communes/${codeInsee}/dossier`}>
            Voir l’examen
          </a>
        </div>
      );
  }
}

/**
 * Beyond this many objets the list goes on over several pages (a few large cities): one page of
 * every objet of Paris would weigh a megabyte and take far longer than SPEC §12 allows to render.
 */
export const OBJETS_PAR_PAGE = 100;

export type SectionEdifice<T> = { group: EdificeGroup<T>; objets: T[]; suite: boolean };
export type PageObjets<T> = { sections: SectionEdifice<T>[]; page: number; pages: number; pageDe: ReadonlyMap<string, number> };

/** Cuts the objets, in the order of their édifices, into pages; null when the page does not exist. */
export function paginer<T>(groups: EdificeGroup<T>[], page: number, taille: number = OBJETS_PAR_PAGE): PageObjets<T> | null {
  const total = groups.reduce((count, group) => count + group.objets.length, 0);
  const pages = Math.max(1, Math.ceil(total / taille));
  if (page < 1 || page > pages) return null;
  const debut = (page - 1) * taille;
  const fin = debut + taille;
  const sections: SectionEdifice<T>[] = [];
  const pageDe = new Map<string, number>();
  let position = 0;
  for (const group of groups) {
    pageDe.set(group.key, Math.floor(position / taille) + 1);
    const de = Math.max(debut, position);
    const a = Math.min(fin, position + group.objets.length);
    if (de < a) sections.push({ group, objets: group.objets.slice(de - position, a - position), suite: de > position });
    position += group.objets.length;
  }
  return { sections, page, pages, pageDe };
}

export function objetPhoto(objet: Pick<ObjetDeListe, "photo_id" | "memoire_photo">): { url: string } | null {
  if (objet.photo_id !== null) return { url: `/photos/${objet.photo_id}/vignette` };
  return objet.memoire_photo;
}

export function ObjetsListPage(props: {
  commune: CommuneRecensement;
  etat: EtatListe;
  groups: EdificeGroup<ObjetDeListe>[];
  pagination: PageObjets<ObjetDeListe>;
  count: number;
  csrfToken: string;
}) {
  const { commune, etat, groups, count, pagination } = props;
  const dossierStatus = commune.dossier?.status ?? null;
  const base = `/communes/${commune.code_insee}/objets`;
  const pageHref = (page: number) => (page === 1 ? base : `${base}?page=${page}`);
  const hrefOf = (group: EdificeGroup<ObjetDeListe>) => {
    const page = pagination.pageDe.get(group.key) ?? 1;
    return page === pagination.page ? `#${group.anchor}` : `${pageHref(page)}#${group.anchor}`;
  };
  return (
    <>
      <h1>{titreListe(etat, commune.nom)}</h1>
      <p class="fr-text--lead">
        {commune.nom}
        {count > 0
          ? ` — ${pluralize(count, "objet protégé", "objets protégés")} dans ${pluralize(groups.length, "édifice", "édifices")}`
          : ""}
      </p>
      <div class="fr-mb-6w">
        <EnTete etat={etat} codeInsee={commune.code_insee} />
      </div>
      {count === 0 ? <p>Aucun objet mobilier protégé au titre des monuments historiques n’est enregistré dans votre commune.</p> : null}
      <EdificeIndex groups={groups} hrefOf={hrefOf} />
      {pagination.pages > 1 ? (
        <p>
          Page {pagination.page} sur {pagination.pages} : les objets sont présentés par {OBJETS_PAR_PAGE}, édifice par édifice.
        </p>
      ) : null}
      {pagination.sections.map(({ group, objets, suite }) => (
        <section class="fr-mb-6w" key={group.key} aria-labelledby={group.anchor}>
          <EdificeHeading group={group} suite={suite} />
          <ul class="fr-grid-row fr-grid-row--gutters co-unstyled-list">
            {objets.map((objet) => {
              const titre = objetTitle(objet);
              return (
                <li class="fr-col-12 fr-col-sm-6 fr-col-md-4 fr-col-lg-3" key={objet.id}>
                  <ObjetCard
                    href={objetHref(commune.code_insee, objet.id)}
                    title={titre}
                    details={[group.nom]}
                    photo={objetPhoto(objet)}
                    start={
                      <RecensementBadges
                        status={objet.recensement_status}
                        dossierStatus={dossierStatus}
                        commentaires={objet.analyse_notes}
                      />
                    }
                    footer={
                      <ul class="fr-btns-group fr-btns-group--sm">
                        <li>
                          <BoutonAction
                            action={actionObjet(objet.recensement_status, dossierStatus)}
                            codeInsee={commune.code_insee}
                            objetId={objet.id}
                            titre={titre}
                            csrfToken={props.csrfToken}
                            small
                          />
                        </li>
                      </ul>
                    }
                  />
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <Pagination base={`${base}?`} page={pagination.page} hasNext={pagination.page < pagination.pages} />
      <PourquoiCetteListe count={count} />
      <p class="fr-mt-4w">
        <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/comment-ca-marche#faq">
          Questions fréquentes sur le recensement
        </a>
      </p>
    </>
  );
}
