/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Progressive enhancement of the département map (src/departements/carte.tsx). Without this script, or
 * without WebGL, the page shows a plan drawn on the server (one link per commune) and the list of
 * communes. With it, a MapLibre map takes the plan's place: the communes' GeoJSON on a plain
 * background (no tile server), or over the base map of `data-style-url` when one is configured.
 *
 * The section's `data-etat` tells where it stands: `chargement`, then `prete` once the points are drawn
 * (with `data-points-affiches`, the number of communes rendered), or `sans-webgl` / `erreur` when the
 * plan stays.
 */
import type * as MapLibre from "maplibre-gl";
import type { GeojsonCarte, ProprietesCommune } from "../departements/carte-rules.ts";
import { phraseObjetsEnPeril } from "../departements/carte-rules.ts";

type Bibliotheque = typeof MapLibre;

const SOURCE = "communes";
const COUCHE_POINTS = "carte-communes";
const COUCHE_SELECTION = "carte-selection";
/** Zoom reached when a commune is shown from the list: close enough to tell neighbours apart. */
const ZOOM_COMMUNE = 11;

const LOCALE: Record<string, string> = {
  "Map.Title":
    "Carte des communes. Flèches pour se déplacer, plus et moins pour zoomer, Entrée pour choisir la commune au centre de la carte.",
  "NavigationControl.ZoomIn": "Zoomer",
  "NavigationControl.ZoomOut": "Dézoomer",
  "NavigationControl.ResetBearing": "Remettre le nord en haut",
  "AttributionControl.ToggleAttribution": "Afficher ou masquer les sources du fond de carte",
  "AttributionControl.MapFeedback": "Signaler une erreur du fond de carte",
  "Popup.Close": "Fermer",
};

/** A plain background: the map needs no tile server. */
const STYLE_SANS_FOND: MapLibre.StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: "fond", type: "background", paint: { "background-color": "#f6f6f6" } }],
};

function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return element;
}

function webglDisponible(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

function chargerCss(url: string): Promise<void> {
  if (document.querySelector(`link[href="${CSS.escape(url)}"]`)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    link.addEventListener("load", () => resolve());
    link.addEventListener("error", () => reject(new Error(`feuille de style introuvable : ${url}`)));
    document.head.append(link);
  });
}

/**
 * MapLibre itself (about 1 MB) is not bundled into this module: the server serves the "CSP" build of
 * `maplibre-gl` as it is published, cached for good under a hashed URL, and it is fetched only when the
 * browser can draw the map. That build starts its worker from a script of our origin (`data-worker-url`)
 * where the standard one needs a `blob:` URL that the Content-Security-Policy refuses.
 */
function chargerMapLibre(url: string): Promise<Bibliotheque> {
  const global = window as unknown as { maplibregl?: Bibliotheque };
  if (global.maplibregl) return Promise.resolve(global.maplibregl);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.addEventListener("load", () => (global.maplibregl ? resolve(global.maplibregl) : reject(new Error("MapLibre absent"))));
    script.addEventListener("error", () => reject(new Error(`script introuvable : ${url}`)));
    document.head.append(script);
  });
}

async function chargerGeojson(url: string): Promise<GeojsonCarte> {
  const response = await fetch(url, { credentials: "same-origin", headers: { accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`GeoJSON ${response.status}`);
  return (await response.json()) as GeojsonCarte;
}

/** The side panel: the chosen commune's name, statut, objets en péril and a link to it. */
class Panneau {
  readonly racine: HTMLElement;
  private readonly aide: HTMLElement;
  private readonly fiche: HTMLElement;
  private readonly nom: HTMLElement;
  private readonly statut: HTMLElement;
  private readonly peril: HTMLElement;
  private readonly disparus: HTMLElement;
  private readonly lien: HTMLAnchorElement;
  readonly fermer: HTMLButtonElement;

  constructor(section: HTMLElement) {
    this.racine = required(section, ".carte-panneau");
    this.aide = required(this.racine, ".carte-panneau__aide");
    this.fiche = required(this.racine, ".carte-panneau__fiche");
    this.nom = required(this.racine, ".carte-panneau__nom");
    this.statut = required(this.racine, ".carte-panneau__statut");
    this.peril = required(this.racine, ".carte-panneau__peril");
    this.disparus = required(this.racine, ".carte-panneau__disparus");
    this.lien = required(this.racine, ".carte-panneau__lien");
    this.fermer = required(this.racine, ".carte-panneau__fermer");
  }

  montrer(commune: ProprietesCommune, focus: boolean): void {
    this.nom.textContent = commune.nom;
    this.statut.textContent = commune.statut_label;
    this.statut.className = `fr-badge fr-badge--sm fr-badge--no-icon carte-panneau__statut ${commune.statut_badge}`.trim();
    this.peril.textContent = phraseObjetsEnPeril(commune.en_peril, commune.objets);
    this.disparus.textContent =
      commune.disparus > 0 ? (commune.disparus === 1 ? "1 objet disparu" : `${commune.disparus} objets disparus`) : "";
    this.disparus.hidden = commune.disparus === 0;
    this.lien.href = `/conservateurs/communes/${encodeURIComponent(commune.code_insee)}`;
    this.lien.dataset.codeInsee = commune.code_insee;
    this.aide.hidden = true;
    this.fiche.hidden = false;
    this.racine.dataset.codeInsee = commune.code_insee;
    if (focus) this.nom.focus();
  }

  vider(): void {
    this.fiche.hidden = true;
    this.aide.hidden = false;
    delete this.racine.dataset.codeInsee;
  }
}

async function demarrer(section: HTMLElement): Promise<void> {
  if (!webglDisponible()) {
    section.dataset.etat = "sans-webgl";
    return;
  }
  const { geojsonUrl, maplibreUrl, workerUrl, cssUrl, styleUrl } = section.dataset;
  if (!geojsonUrl || !maplibreUrl || !workerUrl || !cssUrl) return;
  section.dataset.etat = "chargement";
  const conteneur = required<HTMLElement>(section, ".carte-maplibre");
  const panneau = required<HTMLElement>(section, ".carte-panneau");
  try {
    const [geojson, maplibregl] = await Promise.all([chargerGeojson(geojsonUrl), chargerMapLibre(maplibreUrl), chargerCss(cssUrl)]);
    if (!geojson.bbox) {
      // No commune can be placed: the page already says so.
      section.dataset.etat = "vide";
      return;
    }
    maplibregl.setWorkerUrl(new URL(workerUrl, window.location.href).href);
    // The panel takes its column before the map fits the département in what is left.
    panneau.hidden = false;
    conteneur.hidden = false;
    afficherCarte(maplibregl, section, conteneur, geojson, styleUrl);
  } catch (error) {
    console.error(error);
    conteneur.hidden = true;
    panneau.hidden = true;
    section.dataset.etat = webglDisponible() ? "erreur" : "sans-webgl";
  }
}

function afficherCarte(
  maplibregl: Bibliotheque,
  section: HTMLElement,
  conteneur: HTMLElement,
  geojson: GeojsonCarte,
  styleUrl: string | undefined,
): void {
  const [west, south, east, north] = geojson.bbox!;
  const map = new maplibregl.Map({
    container: conteneur,
    style: styleUrl ?? STYLE_SANS_FOND,
    bounds: [
      [west, south],
      [east, north],
    ],
    fitBoundsOptions: { padding: 24 },
    maxZoom: 14,
    attributionControl: styleUrl ? { compact: true } : false,
    locale: LOCALE,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
  });
  map.keyboard.disableRotation();
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.on("error", (event) => console.warn(event.error));

  const panneau = new Panneau(section);
  const infobulle = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 12, className: "carte-infobulle" });
  const communes = new Map<string, { proprietes: ProprietesCommune; position: [number, number] }>();
  for (const feature of geojson.features) {
    if (feature.properties.type === "commune" && feature.geometry.type === "Point") {
      communes.set(feature.properties.code_insee, {
        proprietes: feature.properties,
        position: feature.geometry.coordinates,
      });
    }
  }

  const choisir = (codeInsee: string | null, focus: boolean) => {
    const commune = codeInsee ? communes.get(codeInsee) : undefined;
    map.setFilter(COUCHE_SELECTION, ["==", ["get", "code_insee"], commune?.proprietes.code_insee ?? ""]);
    if (commune) panneau.montrer(commune.proprietes, focus);
    else panneau.vider();
  };

  map.on("load", () => {
    map.addSource(SOURCE, { type: "geojson", data: geojson });
    const contour: MapLibre.FilterSpecification = ["==", ["get", "type"], "contour"];
    const point: MapLibre.FilterSpecification = ["==", ["get", "type"], "commune"];
    map.addLayer({
      id: "carte-contour-fond",
      type: "fill",
      source: SOURCE,
      filter: contour,
      paint: { "fill-color": "#000091", "fill-opacity": 0.04 },
    });
    map.addLayer({
      id: "carte-contour",
      type: "line",
      source: SOURCE,
      filter: contour,
      paint: { "line-color": "#000091", "line-width": 1.5, "line-dasharray": [3, 2] },
    });
    map.addLayer({
      id: COUCHE_POINTS,
      type: "circle",
      source: SOURCE,
      filter: point,
      layout: { "circle-sort-key": ["get", "rang"] },
      paint: {
        "circle-color": ["get", "couleur"],
        "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 5, 9, 7, 12, 10],
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 1.5,
      },
    });
    map.addLayer({
      id: COUCHE_SELECTION,
      type: "circle",
      source: SOURCE,
      filter: ["==", ["get", "code_insee"], ""],
      paint: {
        "circle-color": "rgba(0, 0, 0, 0)",
        "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 9, 9, 11, 12, 14],
        "circle-stroke-color": "#161616",
        "circle-stroke-width": 3,
      },
    });

    const pret = () => {
      if (!map.isSourceLoaded(SOURCE)) return;
      map.off("idle", pret);
      const rendus = map.queryRenderedFeatures({ layers: [COUCHE_POINTS] });
      // A point near a tile border can be returned once per tile.
      const codes = new Set(rendus.map((f) => String((f.properties as Partial<ProprietesCommune>).code_insee)));
      section.dataset.pointsAffiches = String(codes.size);
      for (const bouton of section.querySelectorAll<HTMLButtonElement>("button.carte-situer")) bouton.hidden = false;
      section.dataset.etat = "prete";
    };
    map.on("idle", pret);
  });

  map.on("mousemove", COUCHE_POINTS, (event) => {
    const feature = event.features?.[0];
    if (!feature) return;
    map.getCanvas().style.cursor = "pointer";
    const commune = communes.get(String((feature.properties as ProprietesCommune).code_insee));
    if (!commune) return;
    infobulle.setLngLat(commune.position).setText(`${commune.proprietes.nom} – ${commune.proprietes.statut_label}`).addTo(map);
  });
  map.on("mouseleave", COUCHE_POINTS, () => {
    map.getCanvas().style.cursor = "";
    infobulle.remove();
  });
  map.on("click", COUCHE_POINTS, (event) => {
    const feature = event.features?.[0];
    if (feature) choisir(String((feature.properties as ProprietesCommune).code_insee), false);
  });

  // Keyboard: MapLibre moves and zooms with the arrows and +/-; Entrée picks the commune nearest the centre.
  map.getCanvas().addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const centre = map.project(map.getCenter());
    const rayon = 24;
    const proches = map.queryRenderedFeatures(
      [
        [centre.x - rayon, centre.y - rayon],
        [centre.x + rayon, centre.y + rayon],
      ],
      { layers: [COUCHE_POINTS] },
    );
    let meilleur: { code: string; distance: number } | undefined;
    for (const feature of proches) {
      const code = String((feature.properties as ProprietesCommune).code_insee);
      const commune = communes.get(code);
      if (!commune) continue;
      const p = map.project(commune.position);
      const distance = Math.hypot(p.x - centre.x, p.y - centre.y);
      if (!meilleur || distance < meilleur.distance) meilleur = { code, distance };
    }
    if (meilleur) {
      event.preventDefault();
      choisir(meilleur.code, true);
    }
  });

  // "Situer" in the list of communes: centre the map on the commune and open its panel.
  section.addEventListener("click", (event) => {
    const bouton = (event.target as Element).closest<HTMLButtonElement>("button.carte-situer");
    if (!bouton?.dataset.codeInsee) return;
    const commune = communes.get(bouton.dataset.codeInsee);
    if (!commune) return;
    map.jumpTo({ center: commune.position, zoom: Math.max(map.getZoom(), ZOOM_COMMUNE) });
    conteneur.scrollIntoView({ block: "nearest" });
    choisir(commune.proprietes.code_insee, true);
  });

  panneau.fermer.addEventListener("click", () => {
    choisir(null, false);
    map.getCanvas().focus();
  });
}

const section = document.querySelector<HTMLElement>("section.carte[data-geojson-url]");
if (section) void demarrer(section);
