import { LOCALISATION_LABELS } from "../../exports/rules.ts";
import { groupByEdifice, objetTitle, popUrl, splitPalissyList } from "../../patrimoine/rules.ts";
import { ETAT_SANITAIRE_LABELS, SECURISATION_LABELS } from "../../recensement/rules.ts";
import { Table } from "../../ui/components.tsx";
import type { AdminObjetRow } from "../repository.ts";

function reponseRecensement(o: AdminObjetRow): { statut: string; localisation: string; etat: string; securisation: string } {
  if (o.recensement_id === null) return { statut: "Pas commencé", localisation: "", etat: "", securisation: "" };
  return {
    statut: o.recensement_status === "completed" ? "Recensé" : "Brouillon",
    localisation: o.localisation ? LOCALISATION_LABELS[o.localisation] : "",
    etat: o.recensable === false ? "Non recensable" : o.etat_sanitaire ? ETAT_SANITAIRE_LABELS[o.etat_sanitaire] : "",
    securisation: o.securisation ? SECURISATION_LABELS[o.securisation] : "",
  };
}

/**
 * The commune's objets grouped by édifice, with the current dossier's answers (RB §6.2), so that support
 * can follow a mairie on the phone object by object.
 */
export function ObjetsCommuneAdmin({ objets, communeNom }: { objets: AdminObjetRow[]; communeNom: string }) {
  if (objets.length === 0) return <p>Aucun objet protégé n’est rattaché à cette commune.</p>;
  return (
    <>
      {groupByEdifice(objets, communeNom).map((groupe) => (
        <Table key={groupe.key} small>
          <table>
            <caption>
              {groupe.nom} ({groupe.objets.length} objet{groupe.objets.length > 1 ? "s" : ""})
            </caption>
            <thead>
              <tr>
                <th scope="col">Référence</th>
                <th scope="col">Objet</th>
                <th scope="col">Emplacement</th>
                <th scope="col">Catégorie</th>
                <th scope="col">Recensement</th>
                <th scope="col">Localisation</th>
                <th scope="col">État</th>
                <th scope="col">Sécurisation</th>
                <th scope="col">Photos</th>
              </tr>
            </thead>
            <tbody>
              {groupe.objets.map((o) => {
                const r = reponseRecensement(o);
                return (
                  <tr key={o.id}>
                    <td>
                      <a href={popUrl(o.palissy_ref)} rel="noopener" target="_blank" title={`${o.palissy_ref} sur POP - nouvelle fenêtre`}>
                        {o.palissy_ref}
                      </a>
                    </td>
                    <td>{objetTitle(o)}</td>
                    <td>{o.palissy_empl ?? ""}</td>
                    <td>{splitPalissyList(o.palissy_cate).join(", ")}</td>
                    <td>{r.statut}</td>
                    <td>{r.localisation}</td>
                    <td>{r.etat}</td>
                    <td>{r.securisation}</td>
                    <td>{o.recensement_id === null ? "" : (o.photos_count ?? 0)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Table>
      ))}
    </>
  );
}
