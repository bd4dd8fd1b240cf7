import { Table } from "../../ui/components.tsx";
import { CsrfField } from "../../comptes/views/components.tsx";
import { ETATS_TACHE, type EtatTache, type TacheEchouee } from "../repository-outils.ts";
import { dateHeureAdmin, texteSortie } from "./outils-communs.tsx";

const ETAT_LABELS: Record<EtatTache, string> = {
  created: "En attente",
  retry: "À réessayer",
  active: "En cours",
  completed: "Terminées (récentes)",
  cancelled: "Annulées",
  failed: "En échec",
};

type Props = {
  presente: boolean;
  definitions: { name: string; cron: string | null }[];
  files: Map<string, Record<EtatTache, number>>;
  echecs: { total: number; dernieres: TacheEchouee[] };
  filtreNom: string | null;
  csrfToken: string;
  relancee: string | null;
};

export function PageTaches(props: Props) {
  const noms = [
    ...props.definitions.map((d) => d.name),
    ...[...props.files.keys()].filter((n) => !props.definitions.some((d) => d.name === n)).sort(),
  ];
  const cron = new Map(props.definitions.map((d) => [d.name, d.cron]));
  return (
    <>
      <h1>Tâches de fond</h1>
      {props.relancee ? (
        <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
          <p>La tâche « {props.relancee} » a été remise dans la file : elle sera exécutée de nouveau sous peu.</p>
        </div>
      ) : null}
      {!props.presente ? (
        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
          <p>La file des tâches de fond n’a pas encore été créée sur cette base : aucun processus de tâches n’a démarré.</p>
        </div>
      ) : null}
      <p>
        Les tâches terminées restent visibles quelques jours ; une tâche en échec a épuisé ses essais automatiques et peut être relancée
        ci-dessous.
      </p>
      <Table small>
        <table>
          <caption>État des files par tâche</caption>
          <thead>
            <tr>
              <th scope="col">Tâche</th>
              <th scope="col">Planification (heure de Paris)</th>
              {ETATS_TACHE.map((e) => (
                <th scope="col" key={e}>
                  {ETAT_LABELS[e]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {noms.map((nom) => {
              const compte = props.files.get(nom);
              return (
                <tr key={nom}>
                  <td>
                    <code>{nom}</code>
                  </td>
                  <td>{cron.get(nom) ? <code>{cron.get(nom)}</code> : "À la demande"}</td>
                  {ETATS_TACHE.map((e) => (
                    <td key={e}>
                      {e === "failed" && (compte?.failed ?? 0) > 0 ? (
                        <a href={`/admin/taches?nom=${encodeURIComponent(nom)}#echecs`}>{compte?.failed}</a>
                      ) : (
                        (compte?.[e] ?? 0)
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </Table>

      <h2 id="echecs">
        Tâches en échec{props.filtreNom ? ` : ${props.filtreNom}` : ""} ({props.echecs.total})
      </h2>
      {props.filtreNom ? (
        <p>
          <a href="/admin/taches#echecs">Voir les échecs de toutes les tâches</a>
        </p>
      ) : null}
      {props.echecs.dernieres.length === 0 ? (
        <p>Aucune tâche en échec.</p>
      ) : (
        props.echecs.dernieres.map((t) => (
          <section class="fr-mb-4w" key={t.id} aria-labelledby={`tache-${t.id}`}>
            <h3 class="fr-h6" id={`tache-${t.id}`}>
              <code>{t.name}</code> — échec le {dateHeureAdmin(t.completed_on ?? t.created_on)}
            </h3>
            <p class="fr-text--sm">
              Créée le {dateHeureAdmin(t.created_on)}, {t.retry_count} nouvel{t.retry_count > 1 ? "s" : ""} essai
              {t.retry_count > 1 ? "s" : ""}. Identifiant <code>{t.id}</code>
            </p>
            <pre class="co-mail-text">{texteSortie(t.output)}</pre>
            <form method="post" action={`/admin/taches/${t.id}/relancer`}>
              <CsrfField token={props.csrfToken} />
              <div class="fr-checkbox-group fr-mb-1w">
                <input type="checkbox" id={`confirmer-${t.id}`} name="confirmer" value="oui" required />
                <label class="fr-label" for={`confirmer-${t.id}`}>
                  Je confirme vouloir relancer cette tâche
                </label>
              </div>
              <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                Relancer
              </button>
            </form>
          </section>
        ))
      )}
    </>
  );
}
