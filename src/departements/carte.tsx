import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { Fragment } from "preact";
import type { AppContext } from "../context.ts";
import { publicAccess } from "../platform/http/access.ts";
import { ClientScript } from "../platform/http/client-assets.ts";
import { NotFoundError } from "../platform/http/errors.ts";
import { cspNonce } from "../platform/http/server.ts";
import { sendPage } from "../ui/page.tsx";
import { departementDuParametre } from "./access.ts";
import { findDonneesCarte } from "./carte-repository.ts";
import {
  CATEGORIES_CARTE,
  COULEURS_CARTE,
  geojsonCarte,
  LEGENDE_CARTE,
  LIBELLE_CONTOUR,
  phraseObjetsEnPeril,
  projectionPlan,
  type CategorieCarte,
  type GeojsonCarte,
  type PointCommune,
  type PolygoneContour,
} from "./carte-rules.ts";
import { EnteteDepartement, findEnteteDepartement } from "./entete.tsx";

const require = createRequire(import.meta.url);
const MAPLIBRE_DIST = path.join(path.dirname(require.resolve("maplibre-gl/package.json")), "dist");

type Fichier = { url: string; contentType: string; body: Buffer };

type FichiersMapLibre = { bibliotheque: Fichier; worker: Fichier; css: Fichier };

let fichiersMapLibre: FichiersMapLibre | undefined;

/**
 * MapLibre's "CSP" build, its worker and its stylesheet, served as published from our origin under a
 * content hash (cached for good). The standard build starts its worker from a `blob:` URL, which the
 * Content-Security-Policy refuses; this one needs no change to it (workers from 'self' are allowed by
 * `script-src`). The library (about 1 MB) is not bundled into src/client/carte.ts: the map script fetches
 * it only when the browser can draw the map, and bundling it would add most of a second to the first
 * build of the client scripts in every process.
 */
function mapLibre(): FichiersMapLibre {
  if (fichiersMapLibre) return fichiersMapLibre;
  const fichier = (file: string, contentType: string): Fichier => {
    // The source map comment would only earn a 404 in the browser's tools.
    const body = Buffer.from(fs.readFileSync(path.join(MAPLIBRE_DIST, file), "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
    const hash = crypto.createHash("sha256").update(body).digest("hex").slice(0, 12);
    const extension = path.extname(file);
    return { url: `/assets/carte/${path.basename(file, extension)}.${hash}${extension}`, contentType, body };
  };
  fichiersMapLibre = {
    bibliotheque: fichier("maplibre-gl-csp.js", "text/javascript; charset=utf-8"),
    worker: fichier("maplibre-gl-csp-worker.js", "text/javascript; charset=utf-8"),
    css: fichier("maplibre-gl.css", "text/css; charset=utf-8"),
  };
  return fichiersMapLibre;
}

/**
 * With `MAP_STYLE_URL`, the map fetches the style, its tiles, glyphs and sprites from that host: the
 * page and the map's worker (whose policy is the one served with its script) let it in, and only them.
 */
function autoriserFondDeCarte(reply: FastifyReply, styleUrl: string | undefined): void {
  if (!styleUrl) return;
  const origin = new URL(styleUrl).origin;
  const policy = reply.getHeader("content-security-policy");
  if (typeof policy !== "string") return;
  const ajoute = (directives: string, nom: string) =>
    directives.includes(`${nom} `)
      ? directives.replace(
          new RegExp(`(^|;)\\s*${nom} ([^;]*)`),
          (_m, debut: string, valeurs: string) => `${debut}${nom} ${valeurs} ${origin}`,
        )
      : `${directives};${nom} 'self' ${origin}`;
  reply.header("content-security-policy", ajoute(ajoute(policy, "connect-src"), "img-src"));
}

/** Map tab of the département dashboard (RB §5.3 "Vue carte"). */
export async function carteRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const departementOfUrl = departementDuParametre(db);
  const access = { kind: "conservateur_departement", departement: departementOfUrl } as const;
  const styleUrl = ctx.config.mapStyleUrl;
  const { bibliotheque, worker, css } = mapLibre();

  for (const fichier of [bibliotheque, worker, css]) {
    app.get(fichier.url, { config: publicAccess }, async (_request, reply) => {
      if (fichier === worker) autoriserFondDeCarte(reply, styleUrl);
      return reply
        .header("content-type", fichier.contentType)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .send(fichier.body);
    });
  }

  app.get<{ Params: { code: string } }>(
    "/conservateurs/departements/:code/carte.geojson",
    { config: { access } },
    async (request, reply) => {
      const donnees = await findDonneesCarte(db, request.params.code);
      if (!donnees) throw new NotFoundError();
      return reply
        .header("content-type", "application/geo+json; charset=utf-8")
        .header("cache-control", "private, no-cache")
        .send(JSON.stringify(geojsonCarte(donnees.communes, donnees.pointsContour, donnees.departement.emprise)));
    },
  );

  app.get<{ Params: { code: string } }>("/conservateurs/departements/:code/carte", { config: { access } }, async (request, reply) => {
    const code = request.params.code;
    const entete = await findEnteteDepartement(db, code);
    const donnees = await findDonneesCarte(db, code);
    if (!entete || !donnees) throw new NotFoundError();
    const geojson = geojsonCarte(donnees.communes, donnees.pointsContour, donnees.departement.emprise);
    autoriserFondDeCarte(reply, styleUrl);
    return sendPage(
      request,
      reply,
      {
        title: `Carte - ${entete.code} - ${entete.nom}`,
        breadcrumbs: [
          { href: "/conservateurs/departements", label: "Mes départements" },
          { href: `/conservateurs/departements/${entete.code}`, label: entete.nom },
          { label: "Carte" },
        ],
      },
      <>
        <EnteteDepartement entete={entete} onglet="carte" />
        <section
          class="carte"
          id="carte"
          aria-labelledby="carte-titre"
          data-etat="statique"
          data-geojson-url={`/conservateurs/departements/${entete.code}/carte.geojson`}
          data-maplibre-url={bibliotheque.url}
          data-worker-url={worker.url}
          data-css-url={css.url}
          data-style-url={styleUrl}
        >
          <h2 id="carte-titre" class="fr-h4">
            Carte des communes
          </h2>
          <p class="fr-text--sm">
            Chaque point représente la mairie d’une commune ayant des objets protégés, coloré selon l’avancement de son recensement.
            Sélectionnez un point pour ouvrir la commune.
          </p>
          <div class="carte-zone">
            <div class="carte-vue">
              <Plan geojson={geojson} nomDepartement={entete.nom} />
              <div class="carte-maplibre" hidden />
            </div>
            <Panneau />
          </div>
          <Legende geojson={geojson} />
          <SansCoordonnees geojson={geojson} />
          <ListeCommunes geojson={geojson} />
        </section>
        <ClientScript name="carte" nonce={cspNonce(reply)} />
      </>,
    );
  });
}

function pointsDe(geojson: GeojsonCarte): PointCommune[] {
  return geojson.features.filter((f): f is PointCommune => f.properties.type === "commune");
}

function contourDe(geojson: GeojsonCarte): PolygoneContour | undefined {
  return geojson.features.find((f): f is PolygoneContour => f.properties.type === "contour");
}

function urlCommune(codeInsee: string): string {
  return `/conservateurs/communes/${codeInsee}`;
}

function descriptionPoint(p: PointCommune["properties"]): string {
  return `${p.nom} : ${p.statut_label}, ${phraseObjetsEnPeril(p.en_peril, p.objets)}`;
}

/**
 * The plan drawn on the server: works without JavaScript and without WebGL. Each point is a link to
 * its commune; the most urgent communes are drawn last, on top.
 */
function Plan({ geojson, nomDepartement }: { geojson: GeojsonCarte; nomDepartement: string }) {
  if (!geojson.bbox) {
    return (
      <p class="carte-plan carte-plan--vide">Aucune commune de ce département n’a de coordonnées : le plan ne peut pas être dessiné.</p>
    );
  }
  const [west, south, east, north] = geojson.bbox;
  const projection = projectionPlan({ north, south, east, west });
  const contour = contourDe(geojson);
  const points = [...pointsDe(geojson)].sort((a, b) => a.properties.rang - b.properties.rang);
  const anneau = contour?.geometry.coordinates[0] ?? [];
  return (
    <svg
      class="carte-plan"
      viewBox={`0 0 ${projection.largeur} ${projection.hauteur}`}
      role="group"
      aria-labelledby="carte-plan-titre"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="carte-plan-titre">{`Plan des communes (${nomDepartement}) : ${points.length} points, un lien par commune`}</title>
      <rect class="carte-plan__fond" x="0" y="0" width={projection.largeur} height={projection.hauteur} aria-hidden="true" />
      {anneau.length > 0 && (
        <polygon
          class="carte-plan__contour"
          aria-hidden="true"
          points={anneau
            .map((position) => {
              const { x, y } = projection.projeter(position);
              return `${x},${y}`;
            })
            .join(" ")}
        />
      )}
      {points.map((point) => {
        const { x, y } = projection.projeter(point.geometry.coordinates);
        const description = descriptionPoint(point.properties);
        return (
          <a
            key={point.properties.code_insee}
            class="carte-point"
            href={urlCommune(point.properties.code_insee)}
            aria-label={description}
            data-code-insee={point.properties.code_insee}
          >
            <title>{description}</title>
            <circle cx={x} cy={y} r="8" fill={point.properties.couleur} />
          </a>
        );
      })}
    </svg>
  );
}

/** Filled in by the map script when a commune is chosen; hidden without it. */
function Panneau() {
  return (
    <div class="carte-panneau" hidden>
      <div aria-live="polite">
        <p class="carte-panneau__aide fr-text--sm">
          Choisissez une commune sur la carte, ou avec le bouton « Situer » de la liste des communes, pour voir son état.
        </p>
        <div class="carte-panneau__fiche" hidden>
          <h3 class="fr-h6 carte-panneau__nom" tabindex={-1} />
          <p>
            <span class="fr-badge fr-badge--sm fr-badge--no-icon carte-panneau__statut" />
          </p>
          <p class="fr-mb-1w carte-panneau__peril" />
          <p class="carte-panneau__disparus" />
          <ul class="fr-btns-group fr-btns-group--sm">
            <li>
              <a class="fr-btn carte-panneau__lien" href="#carte">
                Voir la commune
              </a>
            </li>
            <li>
              <button type="button" class="fr-btn fr-btn--tertiary carte-panneau__fermer">
                Fermer
              </button>
            </li>
          </ul>
        </div>
      </div>
    </div>
  );
}

function Pastille({ couleur }: { couleur: string }) {
  return (
    <svg class="carte-pastille" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7" fill={couleur} />
    </svg>
  );
}

function Legende({ geojson }: { geojson: GeojsonCarte }) {
  const compte = new Map<CategorieCarte, number>();
  for (const point of pointsDe(geojson)) compte.set(point.properties.categorie, (compte.get(point.properties.categorie) ?? 0) + 1);
  return (
    <div class="carte-legende">
      <h3 class="fr-h6 fr-mb-1w">Légende</h3>
      <ul>
        {CATEGORIES_CARTE.map((categorie) => (
          <li key={categorie}>
            <Pastille couleur={COULEURS_CARTE[categorie]} />
            {LEGENDE_CARTE[categorie]} ({compte.get(categorie) ?? 0})
          </li>
        ))}
        {contourDe(geojson) && (
          <li>
            <svg class="carte-pastille" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false">
              <rect class="carte-plan__contour" x="2" y="2" width="20" height="12" />
            </svg>
            {LIBELLE_CONTOUR}
          </li>
        )}
      </ul>
      <p class="fr-text--xs fr-mb-0">
        Seules les communes ayant des objets protégés figurent sur la carte. La position est celle de la mairie.
      </p>
    </div>
  );
}

function SansCoordonnees({ geojson }: { geojson: GeojsonCarte }) {
  const communes = geojson.communes_sans_coordonnees;
  if (communes.length === 0) return null;
  return (
    <p class="carte-sans-coordonnees">
      {communes.length === 1
        ? "1 commune sans coordonnées ne figure pas sur la carte : "
        : `${communes.length} communes sans coordonnées ne figurent pas sur la carte : `}
      {communes.map((c, i) => (
        <Fragment key={c.code_insee}>
          {i > 0 && ", "}
          <a href={urlCommune(c.code_insee)}>{c.nom}</a>
        </Fragment>
      ))}
      .
    </p>
  );
}

/** The accessible alternative of the map: every commune with its statut, in a table that folds away. */
function ListeCommunes({ geojson }: { geojson: GeojsonCarte }) {
  const lignes = [
    ...pointsDe(geojson).map((p) => ({ ...p.properties, place: true })),
    ...geojson.communes_sans_coordonnees.map((c) => ({ ...c, place: false })),
  ].sort((a, b) => a.nom.localeCompare(b.nom, "fr") || a.code_insee.localeCompare(b.code_insee));
  return (
    <details class="carte-liste">
      <summary>Liste des communes de la carte ({lignes.length})</summary>
      <div class="fr-table fr-mt-2w">
        <table>
          <caption>Communes ayant des objets protégés et état de leur recensement</caption>
          <thead>
            <tr>
              <th scope="col">Commune</th>
              <th scope="col">Examen</th>
              <th scope="col">Objets</th>
              <th scope="col">Objets en péril</th>
              <th scope="col">Objets disparus</th>
              <th scope="col">Sur la carte</th>
            </tr>
          </thead>
          <tbody>
            {lignes.map((c) => (
              <tr key={c.code_insee}>
                <th scope="row">
                  <a href={urlCommune(c.code_insee)}>{c.nom}</a>
                </th>
                <td>
                  <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${c.statut_badge}`}>{c.statut_label}</span>
                </td>
                <td>{c.objets}</td>
                <td>{c.en_peril}</td>
                <td>{c.disparus}</td>
                <td>
                  {c.place ? (
                    <>
                      <span class="carte-categorie">
                        <Pastille couleur={c.couleur} />
                        {c.categorie_label}
                      </span>
                      <button type="button" class="fr-btn fr-btn--sm fr-btn--tertiary carte-situer" data-code-insee={c.code_insee} hidden>
                        Situer<span class="fr-sr-only"> {c.nom} sur la carte</span>
                      </button>
                    </>
                  ) : (
                    "sans coordonnées"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
