import { DEMO_COMMUNE_PUBLIQUE, DEMO_OBJET_PUBLIC } from "../src/seed/demo-data.ts";
import { expect, expectNoAxeViolations, test } from "./fixtures.ts";

type PublicPage = { path: string; h1: string | RegExp; content?: string | RegExp; status?: number };

const FICHES: PublicPage[] = [
  { path: "/fiches/entretien_objets", h1: "Entretien des objets" },
  { path: "/fiches/restauration", h1: "Étapes préalables à la restauration" },
  { path: "/fiches/entretien_edifices", h1: /Entretien de l.édifice/ },
  { path: "/fiches/securisation", h1: "Sécuriser vos objets" },
  { path: "/fiches/depot_plainte", h1: "Dépôt de plainte" },
];

const PAGES: PublicPage[] = [
  { path: "/", h1: /Recensez/, content: /commune/i },
  { path: `/communes/${DEMO_COMMUNE_PUBLIQUE.code_insee}`, h1: DEMO_COMMUNE_PUBLIQUE.nom, content: DEMO_OBJET_PUBLIC.titre },
  { path: `/objets/${DEMO_OBJET_PUBLIC.palissy_ref}`, h1: DEMO_OBJET_PUBLIC.titre, content: /classé au titre objet/i },
  { path: "/fiches", h1: "Fiches conseil", content: "Dépôt de plainte" },
  ...FICHES,
  { path: "/stats", h1: "Statistiques" },
  { path: "/comment-ca-marche", h1: "Comment ça marche ?" },
  { path: "/plan", h1: "Plan du site", content: "Mentions légales" },
  { path: "/mentions-legales", h1: "Mentions légales" },
  { path: "/confidentialite", h1: "Données personnelles" },
  { path: "/declaration-accessibilite", h1: "Déclaration d’accessibilité", content: /conformit/i },
  { path: "/cette-page-n-existe-pas", h1: "Page non trouvée", status: 404 },
  { path: `/objets/PM00999999`, h1: "Page non trouvée", status: 404 },
];

test.describe("pages publiques", () => {
  // One browser page visits them all (a step each): a new context per page cost more than the checks.
  test("chaque page répond, est en français et accessible", async ({ page: browser }) => {
    test.slow();
    for (const page of PAGES) {
      await test.step(page.path, async () => {
        const response = await browser.goto(page.path);
        expect(response?.status()).toBe(page.status ?? 200);
        await expect(browser.locator("html")).toHaveAttribute("lang", "fr");
        await expect(browser).toHaveTitle(/Collectif Objets/);
        const h1 = browser.locator("h1");
        await expect(h1).toHaveCount(1);
        await expect(h1).toContainText(page.h1);
        if (page.content) await expect(browser.locator("main")).toContainText(page.content);
        await expectNoAxeViolations(browser);
      });
    }
  });

  test("/health répond en JSON", async ({ request }) => {
    const response = await request.get("/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  test("la page d’une commune mène à la page de ses objets", async ({ page }) => {
    await page.goto(`/communes/${DEMO_COMMUNE_PUBLIQUE.code_insee}`);
    await page.getByRole("link", { name: DEMO_OBJET_PUBLIC.titre }).first().click();
    await expect(page).toHaveURL(new RegExp(`/objets/${DEMO_OBJET_PUBLIC.palissy_ref}$`));
    await expect(page.locator("h1")).toContainText(DEMO_OBJET_PUBLIC.titre);
  });
});
