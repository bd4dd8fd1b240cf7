import type { Browser, Page } from "@playwright/test";
import { expect, expectNoAxeViolations, signInConservateur, test } from "./fixtures.ts";

const PAGE = "/conservateurs/departements/56/carte";
const GEOJSON = "/conservateurs/departements/56/carte.geojson";
/** A Morbihan commune with objets en péril (demo data), a few kilometres from Auray. */
const COMMUNE = "Sainte-Anne-d'Auray";

type Geojson = { features: { properties: { type: string; nom: string } }[]; communes_sans_coordonnees: unknown[] };

/** The page as a browser without JavaScript gets it: the server plan with one link per point, and the list. */
async function expectPlanEtListe(page: Page, geojson: Geojson): Promise<void> {
  const points = geojson.features.filter((f) => f.properties.type === "commune");
  const plan = page.locator("svg.carte-plan");
  await expect(plan).toBeVisible();
  await expect(plan.locator("a.carte-point")).toHaveCount(points.length);
  await expect(plan.getByRole("link", { name: new RegExp(`^${COMMUNE} : `) })).toHaveAttribute(
    "href",
    /^\/conservateurs\/communes\/56\d{3}$/,
  );
  await expect(page.locator(".carte-legende")).toContainText("Dossier transmis avec au moins un objet en péril");
  await expect(page.locator(".carte-maplibre")).toBeHidden();

  await page.locator(".carte-liste > summary").click();
  const lignes = page.locator(".carte-liste tbody tr");
  await expect(lignes).toHaveCount(points.length + geojson.communes_sans_coordonnees.length);
  await expect(lignes.filter({ hasText: COMMUNE })).toContainText(/Dossier transmis|Recensement/);
  await expect(page.locator(".carte-liste button.carte-situer").first()).toBeHidden();
}

async function geojsonDeLaPage(page: Page): Promise<Geojson> {
  const response = await page.request.get(GEOJSON);
  expect(response.ok()).toBe(true);
  return (await response.json()) as Geojson;
}

async function pageSansJavaScript(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
  return context.newPage();
}

test.describe("carte du département", () => {
  test.describe.configure({ timeout: 120_000 });

  test("la carte MapLibre montre les communes et ouvre leur fiche, au clic comme au clavier", async ({ page, browser }, testInfo) => {
    test.skip(testInfo.project.name === "sans-javascript", "la carte interactive demande JavaScript");
    await signInConservateur(page);
    const geojson = await geojsonDeLaPage(page);
    const points = geojson.features.filter((f) => f.properties.type === "commune");
    expect(points.length).toBeGreaterThan(5);

    // A refused worker, stylesheet or request (Content-Security-Policy) would show up here.
    const erreurs: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") erreurs.push(message.text());
    });
    page.on("pageerror", (error) => erreurs.push(error.message));
    await page.goto(PAGE);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Morbihan");
    const section = page.locator("section.carte");
    // Set by the map script once every point is drawn (WebGL is SwiftShader in headless Chromium).
    await expect(section).toHaveAttribute("data-etat", "prete", { timeout: 60_000 });
    await expect(section).toHaveAttribute("data-points-affiches", String(points.length));
    await expect(page.locator("svg.carte-plan")).toBeHidden();
    const canvas = page.locator(".carte-maplibre canvas");
    await expect(canvas).toBeVisible();
    await expect(canvas).toHaveAttribute("aria-label", /^Carte des communes/);
    await expectNoAxeViolations(page);
    expect(erreurs).toEqual([]);

    // Keyboard: "Situer" in the list centres the map on the commune and opens its panel, focus on its name.
    await page.locator(".carte-liste > summary").click();
    const situer = page.getByRole("button", { name: `Situer ${COMMUNE} sur la carte` });
    await situer.focus();
    await page.keyboard.press("Enter");
    const panneau = page.locator(".carte-panneau");
    await expect(panneau.getByRole("heading", { name: COMMUNE })).toBeFocused();
    await expect(panneau).toContainText(/\d+ objets? en péril sur \d+ objets?/);
    await expect(panneau.locator(".fr-badge")).toHaveText(/.+/);
    await expect(panneau.getByRole("link", { name: "Voir la commune" })).toHaveAttribute("href", /^\/conservateurs\/communes\/56\d{3}$/);
    await expectNoAxeViolations(page);

    // Closing gives the focus back to the map, where Entrée picks the commune at its centre.
    await panneau.getByRole("button", { name: "Fermer" }).click();
    await expect(panneau.getByRole("heading", { name: COMMUNE })).toBeHidden();
    await expect(canvas).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(panneau.getByRole("heading", { name: COMMUNE })).toBeFocused();

    // Mouse: closed, then a click on the point (still at the centre of the map) opens it again.
    await panneau.getByRole("button", { name: "Fermer" }).click();
    await expect(panneau.getByRole("heading", { name: COMMUNE })).toBeHidden();
    const box = await canvas.boundingBox();
    expect(box).not.toBeNull();
    await canvas.click({ position: { x: box!.width / 2, y: box!.height / 2 } });
    await expect(panneau.getByRole("heading", { name: COMMUNE })).toBeVisible();
    await panneau.getByRole("link", { name: "Voir la commune" }).click();
    await expect(page).toHaveURL(/\/conservateurs\/communes\/56\d{3}$/);

    // The same page without JavaScript keeps the server plan and the list.
    const sansScript = await pageSansJavaScript(browser, page);
    try {
      await sansScript.goto(PAGE);
      await expectPlanEtListe(sansScript, geojson);
    } finally {
      await sansScript.context().close();
    }

    // And so does a browser without WebGL.
    const sansWebgl = await browser.newContext({ storageState: await page.context().storageState() });
    try {
      await sansWebgl.addInitScript({
        content: `(() => {
          const getContext = HTMLCanvasElement.prototype.getContext;
          HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
            return /webgl/.test(type) ? null : getContext.call(this, type, ...rest);
          };
        })();`,
      });
      const pageSansWebgl = await sansWebgl.newPage();
      await pageSansWebgl.goto(PAGE);
      await expect(pageSansWebgl.locator("section.carte")).toHaveAttribute("data-etat", "sans-webgl");
      await expectPlanEtListe(pageSansWebgl, geojson);
    } finally {
      await sansWebgl.close();
    }
  });

  test("sans JavaScript, le plan et la liste des communes remplacent la carte", async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== "sans-javascript", "le projet sans JavaScript suffit");
    await signInConservateur(page);
    const geojson = await geojsonDeLaPage(page);
    await page.goto(PAGE);
    await expect(page.locator("section.carte")).toHaveAttribute("data-etat", "statique");
    await expectPlanEtListe(page, geojson);
    await expectNoAxeViolations(page);
  });
});
