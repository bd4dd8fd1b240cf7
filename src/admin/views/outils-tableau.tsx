import { Table } from "../../ui/components.tsx";
import { ETAPE_LABELS, etapeDuJour } from "../../campagnes/rules.ts";
import { STATUT_GLOBAL_LABELS, type StatutGlobal } from "../../dossier/rules.ts";
import type { TableauDeBord } from "../repository-outils.ts";
import { BadgeImport, BadgeMail, IMPORT_KIND_LABELS, dateHeureAdmin, jourAdmin, texteSortie } from "./outils-communs.tsx";

function Chiffre(props: { valeur: number; libelle: string; href: string }) {
  return (
    <div class="fr-col-12 fr-col-sm-6 fr-col-lg-3">
      <div class="fr-tile fr-enlarge-link">
        <div class="fr-tile__body">
          <div class="fr-tile__content">
            <h3 class="fr-tile__title">
              <a href={props.href}>{props.valeur.toLocaleString("fr-FR")}</a>
            </h3>
            <p class="fr-tile__desc">{props.libelle}</p>
          </div>
        </div>
      </div>
    </div>
  );
}

export function TableauDeBordView({ tableau, aujourdhui }: { tableau: TableauDeBord; aujourdhui: string }) {
  const { comptes, campagnes, imports, tachesEchouees, mails } = tableau;
  const aSurveiller =
    mails.echoues + mails.enDifficulte + (tachesEchouees?.total ?? 0) + imports.filter((i) => i.status === "failed").length;
  return (
    <>
      <h1>Tableau de bord</h1>
      {aSurveiller === 0 ? (
        <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-4w">
          <p>Rien ne demande d’intervention : aucun mail en échec, aucune tâche de fond en échec, aucun import échoué récent.</p>
        </div>
      ) : (
        <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-4w">
          <p>
            À surveiller :{" "}
            {[
              mails.echoues > 0
                ? `${mails.echoues} mail${mails.echoues > 1 ? "s" : ""} non distribué${mails.echoues > 1 ? "s" : ""}`
                : null,
              mails.enDifficulte > 0 ? `${mails.enDifficulte} mail${mails.enDifficulte > 1 ? "s" : ""} en nouvel essai` : null,
              tachesEchouees && tachesEchouees.total > 0
                ? `${tachesEchouees.total} tâche${tachesEchouees.total > 1 ? "s" : ""} de fond en échec`
                : null,
              imports.some((i) => i.status === "failed") ? "un import récent a échoué" : null,
            ]
              .filter(Boolean)
              .join(", ")}
            .
          </p>
        </div>
      )}

      <h2>Chiffres</h2>
      <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
        <Chiffre valeur={comptes.communesAvecObjets} libelle="communes ayant des objets protégés" href="/admin/communes" />
        <Chiffre valeur={comptes.dossiersAExaminer} libelle="dossiers envoyés, en attente d’examen" href="/admin/dossiers" />
        <Chiffre valeur={comptes.recensementsDuMois} libelle="objets recensés ou en cours ce mois-ci" href="/admin/communes" />
        <Chiffre valeur={campagnes.length} libelle="campagnes en cours" href="/admin/campagnes" />
      </div>
      <Table small>
        <table>
          <caption>Communes ayant des objets, par statut</caption>
          <thead>
            <tr>
              <th scope="col">Statut</th>
              <th scope="col">Communes</th>
            </tr>
          </thead>
          <tbody>
            {([0, 1, 2, 3, 4, 5] as StatutGlobal[]).map((s) => (
              <tr key={s}>
                <td>{STATUT_GLOBAL_LABELS[s]}</td>
                <td>{(comptes.parStatut[s] ?? 0).toLocaleString("fr-FR")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Table>

      <h2>Campagnes en cours</h2>
      {campagnes.length === 0 ? (
        <p>Aucune campagne en cours.</p>
      ) : (
        <Table small>
          <table>
            <caption class="fr-sr-only">Campagnes en cours</caption>
            <thead>
              <tr>
                <th scope="col">Département</th>
                <th scope="col">Lancement</th>
                <th scope="col">Clôture</th>
                <th scope="col">Étape</th>
                <th scope="col">Destinataires</th>
              </tr>
            </thead>
            <tbody>
              {campagnes.map((c) => {
                const etape = etapeDuJour(c, aujourdhui);
                return (
                  <tr key={c.id}>
                    <td>
                      <a href={`/admin/campagnes/${c.id}`}>
                        {c.departement_code}
                        {c.departement_nom ? ` - ${c.departement_nom}` : ""}
                      </a>
                    </td>
                    <td>{jourAdmin(c.date_lancement)}</td>
                    <td>{jourAdmin(c.date_fin)}</td>
                    <td>{etape ? ETAPE_LABELS[etape] : "Pas encore lancée"}</td>
                    <td>{c.destinataires.toLocaleString("fr-FR")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Table>
      )}

      <h2>Derniers imports</h2>
      {imports.length === 0 ? (
        <p>Aucun import enregistré.</p>
      ) : (
        <Table small>
          <table>
            <caption class="fr-sr-only">Derniers imports</caption>
            <thead>
              <tr>
                <th scope="col">Import</th>
                <th scope="col">Commencé le</th>
                <th scope="col">Résultat</th>
                <th scope="col">Lus</th>
                <th scope="col">Créés / modifiés / supprimés</th>
                <th scope="col">Erreurs</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <td>{IMPORT_KIND_LABELS[i.kind]}</td>
                  <td>{dateHeureAdmin(i.started_at)}</td>
                  <td>
                    <BadgeImport status={i.status} />
                  </td>
                  <td>{i.read.toLocaleString("fr-FR")}</td>
                  <td>
                    {i.created} / {i.updated} / {i.deleted}
                  </td>
                  <td>{i.erreurs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Table>
      )}

      <h2>Tâches de fond en échec</h2>
      {tachesEchouees === null ? (
        <p>La file des tâches de fond n’a pas encore été créée (aucun processus de tâches n’a démarré sur cette base).</p>
      ) : tachesEchouees.total === 0 ? (
        <p>Aucune tâche de fond en échec.</p>
      ) : (
        <>
          <p>
            {tachesEchouees.total} tâche{tachesEchouees.total > 1 ? "s" : ""} en échec, les plus récentes :
          </p>
          <ul>
            {tachesEchouees.dernieres.map((t) => (
              <li key={t.id}>
                <strong>{t.name}</strong> ({dateHeureAdmin(t.completed_on ?? t.created_on)}) : {texteSortie(t.output).split("\n")[0]}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <a href="/admin/taches">Voir les tâches de fond</a>
      </p>

      <h2>Mails non distribués</h2>
      {mails.derniers.length === 0 ? (
        <p>Aucun mail en échec ni en nouvel essai.</p>
      ) : (
        <>
          <p>
            {mails.echoues} en échec définitif, {mails.enDifficulte} en nouvel essai. Les plus récents :
          </p>
          <Table small>
            <table>
              <caption class="fr-sr-only">Mails non distribués</caption>
              <thead>
                <tr>
                  <th scope="col">Destinataire</th>
                  <th scope="col">Objet</th>
                  <th scope="col">État</th>
                  <th scope="col">Dernière erreur</th>
                </tr>
              </thead>
              <tbody>
                {mails.derniers.map((m) => (
                  <tr key={m.id}>
                    <td>{m.to_address}</td>
                    <td>
                      <a href={`/admin/mails/${m.id}`}>{m.subject}</a>
                    </td>
                    <td>
                      <BadgeMail status={m.status} attempts={m.attempts} />
                    </td>
                    <td>{m.last_error ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Table>
        </>
      )}
      <p>
        <a href="/admin/mails?etat=failed">Voir les mails en échec</a>
      </p>
    </>
  );
}
