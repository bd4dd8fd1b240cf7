import { objetTitle } from "../../patrimoine/rules.ts";
import type { ActiviteDepartement } from "../repository.ts";
import { formatJour, nombre, type LecturePeriode, type Periode } from "../rules.ts";
import { BadgeDisparus, BadgePeril, communeUrl } from "./tableau.tsx";

const dateCourte = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric" });

type Niveau = 2 | 3;

/** Period selector (GET form, works without JavaScript); a wrong date is shown on its field. */
export function FormulairePeriode(props: { action: string; lecture: LecturePeriode }) {
  const { lecture } = props;
  const valeurs = lecture.ok ? lecture.periode : lecture.saisie;
  const erreurs = lecture.ok ? {} : lecture.erreurs;
  return (
    <form method="get" action={props.action} class="fr-mb-4w" novalidate>
      <fieldset
        class={`fr-fieldset${lecture.ok ? "" : " fr-fieldset--error"}`}
        aria-labelledby={lecture.ok ? "periode-legende" : "periode-legende periode-erreurs"}
      >
        <legend class="fr-fieldset__legend" id="periode-legende">
          Période
        </legend>
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <ChampDate id="du" label="Date de début" value={valeurs.du} erreur={erreurs.du} />
        </div>
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <ChampDate id="au" label="Date de fin" value={valeurs.au} erreur={erreurs.au} />
        </div>
        <div class="fr-fieldset__element fr-fieldset__element--inline tdb-periode__bouton">
          <button class="fr-btn" type="submit">
            Voir l’activité dans cette période
          </button>
        </div>
        {lecture.ok ? null : (
          <div class="fr-messages-group" id="periode-erreurs" aria-live="assertive">
            <p class="fr-message fr-message--error">La période demandée n’est pas valide : corrigez les dates ci-dessus.</p>
          </div>
        )}
      </fieldset>
    </form>
  );
}

function ChampDate(props: { id: string; label: string; value: string; erreur: string | undefined }) {
  return (
    <div class={`fr-input-group${props.erreur ? " fr-input-group--error" : ""}`}>
      <label class="fr-label" for={`periode-${props.id}`}>
        {props.label}
        <span class="fr-hint-text">Format attendu : jj/mm/aaaa</span>
      </label>
      <input
        class={`fr-input${props.erreur ? " fr-input--error" : ""}`}
        type="date"
        id={`periode-${props.id}`}
        name={props.id}
        value={props.value}
        min="2000-01-01"
        max="2100-12-31"
        aria-invalid={props.erreur ? "true" : undefined}
        aria-describedby={props.erreur ? `periode-${props.id}-erreur` : undefined}
      />
      {props.erreur ? (
        <p class="fr-error-text" id={`periode-${props.id}-erreur`}>
          {props.erreur}
        </p>
      ) : null}
    </div>
  );
}

/** The three activity cards of one département (RB §5.3 "Activité"). */
export function CartesActivite(props: { activite: ActiviteDepartement; periode: Periode; niveau: Niveau }) {
  const { activite, periode, niveau } = props;
  const entre = `entre le ${formatJour(periode.du)} et le ${formatJour(periode.au)}`;
  return (
    <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
      <div class="fr-col-12 fr-col-lg-4">
        <Carte niveau={niveau} titre={`Dossiers transmis : ${nombre(activite.dossiers.total)}`}>
          {activite.dossiers.lignes.length === 0 ? (
            <p class="fr-mb-0">Aucun dossier transmis {entre}.</p>
          ) : (
            <ul class="tdb-liste">
              {activite.dossiers.lignes.map((d) => (
                <li key={d.code_insee}>
                  <a href={communeUrl(d.code_insee)}>{d.nom}</a>{" "}
                  <span class="fr-text--sm">transmis le {dateCourte.format(d.submitted_at)}</span>
                  {d.en_peril_count > 0 || d.disparus_count > 0 ? (
                    <span class="tdb-badges">
                      {d.en_peril_count > 0 ? <BadgePeril n={d.en_peril_count} /> : null}
                      {d.disparus_count > 0 ? <BadgeDisparus n={d.disparus_count} /> : null}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <Suite total={activite.dossiers.total} montres={activite.dossiers.lignes.length} />
        </Carte>
      </div>
      <div class="fr-col-12 fr-col-lg-4">
        <Carte niveau={niveau} titre={`Recensements récents : ${nombre(activite.recensements.total)}`}>
          {activite.recensements.lignes.length === 0 ? (
            <p class="fr-mb-0">Aucun recensement terminé {entre}.</p>
          ) : (
            <ul class="tdb-liste">
              {activite.recensements.lignes.map((r) => (
                <li key={r.id}>
                  {r.palissy_ref ? objetTitle({ ...r, palissy_ref: r.palissy_ref }) : "Objet retiré de la base Palissy"}
                  {" · "}
                  <a href={communeUrl(r.code_insee)}>{r.commune}</a> <span class="fr-text--sm">le {dateCourte.format(r.completed_at)}</span>
                </li>
              ))}
            </ul>
          )}
          <Suite total={activite.recensements.total} montres={activite.recensements.lignes.length} />
        </Carte>
      </div>
      <div class="fr-col-12 fr-col-lg-4">
        <Carte niveau={niveau} titre={`Nouveaux messages : ${nombre(activite.messages.messages)}`}>
          {activite.messages.lignes.length === 0 ? (
            <p class="fr-mb-0">Aucun message des communes {entre}.</p>
          ) : (
            <ul class="tdb-liste">
              {activite.messages.lignes.map((m) => (
                <li key={m.code_insee}>
                  <a href={`${communeUrl(m.code_insee)}/messagerie`}>{m.nom}</a>{" "}
                  <span class="fr-badge fr-badge--sm fr-badge--purple-glycine">
                    {m.messages > 1 ? `${nombre(m.messages)} messages` : "1 message"}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <Suite total={activite.messages.total} montres={activite.messages.lignes.length} communes />
        </Carte>
      </div>
    </div>
  );
}

function Carte(props: { niveau: Niveau; titre: string; children: preact.ComponentChildren }) {
  const Titre = `h${props.niveau}` as const;
  return (
    <section class="tdb-carte">
      <Titre class="fr-h6 fr-mb-2w">{props.titre}</Titre>
      {props.children}
    </section>
  );
}

/** The lists stop after a hundred lines: say how many more there are. */
function Suite(props: { total: number; montres: number; communes?: boolean }) {
  const reste = props.total - props.montres;
  if (reste <= 0) return null;
  return (
    <p class="fr-text--sm fr-mt-2w fr-mb-0">
      Et {nombre(reste)} {props.communes ? (reste > 1 ? "autres communes" : "autre commune") : reste > 1 ? "autres" : "autre"} : réduisez la
      période pour les voir.
    </p>
  );
}
