import type { FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { executePrepared } from "../platform/db/prepared.ts";
import type { DB } from "../platform/db/schema.ts";

/**
 * Resolvers for `conservateur_departement` access rules: the département the URL designates, or `null`
 * when the record does not exist (404). A malformed parameter is "no such record" too, never a 500.
 */
type Resolver = (request: FastifyRequest) => Promise<string | null>;

const DEPARTEMENT = /^([0-9]{2}|2A|2B|97[1-6])$/;
const CODE_INSEE = /^[0-9][0-9AB][0-9]{3}$/;
const ID = /^[1-9][0-9]{0,9}$/;

function param(request: FastifyRequest, name: string): string {
  return (request.params as Record<string, string | undefined>)[name] ?? "";
}

function id(value: string): number | null {
  if (!ID.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}

/** `:code` is a département code. */
export function departementDuParametre(db: Kysely<DB>, name = "code"): Resolver {
  return async (request) => {
    const code = param(request, name);
    if (!DEPARTEMENT.test(code)) return null;
    const [row] = await executePrepared(db, "departement", db.selectFrom("departements").select("code").where("code", "=", code).compile());
    return row?.code ?? null;
  };
}

/** `:code` is a commune code INSEE. */
export function departementDeLaCommune(db: Kysely<DB>, name = "code"): Resolver {
  return async (request) => {
    const code = param(request, name);
    if (!CODE_INSEE.test(code)) return null;
    const row = await db.selectFrom("communes").select("departement_code").where("code_insee", "=", code).executeTakeFirst();
    return row?.departement_code ?? null;
  };
}

/** `:id` is a recensement id: the département of the commune whose dossier holds it. */
export function departementDuRecensement(db: Kysely<DB>, name = "id"): Resolver {
  return async (request) => {
    const recensementId = id(param(request, name));
    if (recensementId === null) return null;
    const row = await db
      .selectFrom("recensements as r")
      .innerJoin("dossiers as d", "d.id", "r.dossier_id")
      .innerJoin("communes as c", "c.id", "d.commune_id")
      .select("c.departement_code")
      .where("r.id", "=", recensementId)
      .executeTakeFirst();
    return row?.departement_code ?? null;
  };
}

/** `:photo_id` is a recensement photo id. */
export function departementDeLaPhoto(db: Kysely<DB>, name = "photo_id"): Resolver {
  return async (request) => {
    const photoId = id(param(request, name));
    if (photoId === null) return null;
    const row = await db
      .selectFrom("photos as p")
      .innerJoin("recensements as r", "r.id", "p.recensement_id")
      .innerJoin("dossiers as d", "d.id", "r.dossier_id")
      .innerJoin("communes as c", "c.id", "d.commune_id")
      .select("c.departement_code")
      .where("p.id", "=", photoId)
      .executeTakeFirst();
    return row?.departement_code ?? null;
  };
}

/** Positive integer route parameter, or null. */
export function idParam(value: string | undefined): number | null {
  return id(value ?? "");
}

/** `:campaign_id` is a campaign id. */
export function departementDeLaCampagne(db: Kysely<DB>, name = "campaign_id"): Resolver {
  return async (request) => {
    const campaignId = id(param(request, name));
    if (campaignId === null) return null;
    const row = await db.selectFrom("campaigns").select("departement_code").where("id", "=", campaignId).executeTakeFirst();
    return row?.departement_code ?? null;
  };
}
