import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { executerSequenceQuotidienne, jourParis, type RapportSequence } from "../campagnes/sequence.ts";
import { CsrfField } from "../comptes/views/components.tsx";
import type { AppContext } from "../context.ts";
import { parseInput } from "../platform/http/params.ts";
import { sendPage } from "../ui/page.tsx";

const devAccess = { access: { kind: "dev" } } as const;
const JOUR = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Runs the daily campaign sequence as if it were another day, without waiting for it (development and
 * browser tests only: never registered in production). The clock of the rest of the app is untouched.
 */
export async function devHorlogeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get("/dev/horloge", { config: devAccess }, async (request, reply) =>
    sendPage(request, reply, { title: "Journée des campagnes (développement)" }, <Formulaire csrfToken={reply.generateCsrf()} />),
  );

  app.post("/dev/horloge", { config: devAccess }, async (request, reply) => {
    const { jour } = parseInput(z.object({ jour: JOUR }), request.body, "Indiquez un jour au format AAAA-MM-JJ.");
    const rapport = await executerSequenceQuotidienne(ctx, jour);
    return sendPage(
      request,
      reply,
      { title: "Journée des campagnes (développement)" },
      <Formulaire csrfToken={reply.generateCsrf()} jour={jour} rapport={rapport} />,
    );
  });
}

function Formulaire(props: { csrfToken: string; jour?: string; rapport?: RapportSequence }) {
  const { rapport } = props;
  return (
    <>
      <h1>Journée des campagnes (développement)</h1>
      <p>
        Exécute la tâche quotidienne des campagnes (lancements, relances, clôtures, réponses automatiques) comme si l’on était ce jour-là.
      </p>
      {rapport ? (
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
          <h2 class="fr-alert__title">Journée du {props.jour} exécutée</h2>
          <ul>
            <li>Campagnes démarrées : {rapport.demarrees.length}</li>
            {rapport.etapes.map((etape) => (
              <li key={`${etape.campaignId}-${etape.etape}`}>
                Campagne {etape.campaignId}, étape {etape.etape} : {etape.envoyes} mail(s) envoyé(s), {etape.sautes} sauté(s),{" "}
                {etape.ignores} ignoré(s)
              </li>
            ))}
            <li>Campagnes terminées : {rapport.terminees.length}</li>
            <li>Réponses automatiques « objets verts » : {rapport.objetsVerts}</li>
          </ul>
        </div>
      ) : null}
      <form method="post" action="/dev/horloge">
        <CsrfField token={props.csrfToken} />
        <div class="fr-input-group">
          <label class="fr-label" for="jour">
            Jour à exécuter
          </label>
          <input class="fr-input" type="date" id="jour" name="jour" required value={props.jour ?? jourParis()} />
        </div>
        <button class="fr-btn" type="submit">
          Exécuter la journée
        </button>
      </form>
    </>
  );
}
