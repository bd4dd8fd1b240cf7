import type { FastifyInstance } from "fastify";
import { communeOf } from "../comptes/access.ts";
import type { AppContext } from "../context.ts";
import { sendPage } from "../ui/page.tsx";
import { communeObjetsCount } from "./repository.ts";

const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;

/**
 * Where a commune lands after signing in. Minimal pages for now: the recensement journey (issue 4)
 * replaces them with the objets by édifice and the wizard.
 */
export async function recensementRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get("/communes/:code_insee/premiere-visite", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    return sendPage(
      request,
      reply,
      { title: "Recensez vos objets en 3 étapes" },
      <>
        <h1>Recensez vos objets en 3 étapes</h1>
        <ol>
          <li>Consultez la liste des objets protégés de {commune.nom}.</li>
          <li>Allez voir chaque objet sur place et répondez à quelques questions, photos à l’appui.</li>
          <li>Envoyez votre recensement au conservateur ou à la conservatrice de votre département.</li>
        </ol>
        <a class="fr-btn" href={`/communes/${commune.codeInsee}/objets`}>
          Voir les objets de {commune.nom}
        </a>
      </>,
    );
  });

  app.get("/communes/:code_insee/objets", { config: communeRule }, async (request, reply) => {
    const commune = communeOf(request);
    const count = await communeObjetsCount(ctx.database.db, commune.communeId);
    return sendPage(
      request,
      reply,
      { title: `Objets de ${commune.nom}` },
      <>
        <h1>Objets de {commune.nom}</h1>
        <p class="fr-text--lead">
          {count === 0
            ? "Aucun objet protégé n’est recensable pour l’instant."
            : count === 1
              ? "1 objet protégé à recenser."
              : `${count} objets protégés à recenser.`}
        </p>
        <p>
          Le recensement en ligne arrive bientôt ici. En attendant, la liste de vos objets est consultable sur{" "}
          <a href={`/communes/${commune.codeInsee}`}>la page publique de {commune.nom}</a>.
        </p>
      </>,
    );
  });
}
