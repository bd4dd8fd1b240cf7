import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { ACTION_LABELS } from "../examen/historique.ts";
import { parseInput } from "../platform/http/params.ts";
import { communeIdParInsee, listJournal } from "./repository-suivi.ts";
import { sendAdminPage } from "./views/page.tsx";
import { JournalPage } from "./views/suivi-journal.tsx";

const adminRule = { access: { kind: "admin" } } as const;

/** Every action the select offers, sorted by label. */
export function actionsConnues(): { value: string; label: string }[] {
  return Object.entries(ACTION_LABELS)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label, "fr"));
}

const vide = z.literal("").transform(() => undefined);
const jour = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

const querySchema = z.object({
  acteur: z.enum(["commune", "conservateur", "admin", "system", "anonymous"]).or(vide).optional(),
  acteur_id: z.coerce.number().int().min(1).max(2_147_483_647).or(vide).optional(),
  personne: z.string().trim().max(100).optional(),
  commune: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^(\d[\dAB]\d{3})?$/)
    .optional(),
  action: z
    .string()
    .trim()
    .regex(/^([a-z0-9_]+(\.[a-z0-9_]+)*)?$/)
    .max(80)
    .optional(),
  du: jour.or(vide).optional(),
  au: jour.or(vide).optional(),
  avant: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?~\d{1,18}$/)
    .or(vide)
    .optional(),
});

export async function adminJournalRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get("/admin/journal", { config: adminRule }, async (request, reply) => {
    const q = parseInput(
      querySchema,
      request.query,
      "Les filtres du journal ne sont pas valides : vérifiez les dates, le code INSEE et le numéro de compte.",
    );
    let communeInconnue = false;
    let communeId: number | undefined;
    if (q.commune) {
      const commune = await communeIdParInsee(db, q.commune);
      if (commune) communeId = commune.id;
      else communeInconnue = true;
    }
    const [date, id] = q.avant ? q.avant.split("~") : [];
    const { evenements, suivante } = communeInconnue
      ? { evenements: [], suivante: false }
      : await listJournal(db, {
          acteurType: q.acteur,
          acteurId: q.acteur_id,
          personne: q.personne || undefined,
          communeId,
          action: q.action || undefined,
          du: q.du,
          au: q.au,
          avant: date && id ? { date, id: Number(id) } : undefined,
        });
    const form = {
      acteur: q.acteur ?? "",
      acteur_id: q.acteur_id !== undefined ? String(q.acteur_id) : "",
      personne: q.personne ?? "",
      commune: q.commune ?? "",
      action: q.action ?? "",
      du: q.du ?? "",
      au: q.au ?? "",
    };
    const filtres = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ""));
    const dernier = evenements.at(-1);
    const suivanteHref =
      suivante && dernier
        ? `/admin/journal?${new URLSearchParams([...filtres, ["avant", `${dernier.curseur_date}~${dernier.id}`]])}`
        : null;
    const premiereHref = q.avant ? `/admin/journal${filtres.size ? `?${filtres}` : ""}` : null;
    return sendAdminPage(
      request,
      reply,
      { title: "Journal des actions", section: "journal" },
      <JournalPage
        form={form}
        actions={actionsConnues()}
        evenements={evenements}
        suivanteHref={suivanteHref}
        premiereHref={premiereHref}
        communeInconnue={communeInconnue}
      />,
    );
  });
}
