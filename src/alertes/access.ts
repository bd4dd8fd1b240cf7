import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { idParam } from "../departements/access.ts";
import type { DB } from "../platform/db/schema.ts";
import { departementDeLAlerte } from "./repository.ts";

/**
 * `conservateur_departement` resolver of `/conservateurs/departements/:code/alertes/:alerte_id/…`: the
 * alert's département when it is the one of the URL, otherwise null (404), so that a conservateur of the
 * alert's département reaches it only through their own département's URL, and others get a 403.
 */
export function departementDeLAlerteDansLUrl(db: Kysely<DB>, name = "alerte_id"): (request: FastifyRequest) => Promise<string | null> {
  return async (request) => {
    const params = request.params as Record<string, string | undefined>;
    const alerteId = idParam(params[name]);
    if (alerteId === null) return null;
    const code = await departementDeLAlerte(db, alerteId);
    return code !== null && code === params.code ? code : null;
  };
}
