import type { Kysely } from "kysely";
import type { DB } from "../platform/db/schema.ts";
import { Onglets } from "../ui/onglets.tsx";

/** What every page of a département's dashboard shows above its tabs. */
export type EnteteDepartement = { code: string; nom: string };

export type OngletDepartement = "tableau" | "carte" | "activite";

export async function findEnteteDepartement(db: Kysely<DB>, code: string): Promise<EnteteDepartement | undefined> {
  return db.selectFrom("departements").select(["code", "nom"]).where("code", "=", code).executeTakeFirst();
}

/** H1 and the tabs of the département dashboard; each tab is its own URL. */
export function EnteteDepartement({ entete, onglet }: { entete: EnteteDepartement; onglet: OngletDepartement }) {
  const base = `/conservateurs/departements/${entete.code}`;
  return (
    <>
      <h1>
        {entete.code} - {entete.nom}
      </h1>
      <Onglets
        label="Vues du département"
        items={[
          { href: base, label: "Tableau des communes", current: onglet === "tableau" },
          { href: `${base}/carte`, label: "Carte", current: onglet === "carte" },
          { href: `${base}/activite`, label: "Activité", current: onglet === "activite" },
        ]}
      />
    </>
  );
}
