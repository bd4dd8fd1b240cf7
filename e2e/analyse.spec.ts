import fs from "node:fs";
import { expect, expectNoAxeViolations, signInConservateur, test } from "./fixtures.ts";

const PAGE = "/conservateurs/departements/56/analyse";

test("a conservateur reads the Analyse tab of the Morbihan, its charts and tables, and downloads a CSV", async ({ page }) => {
  await signInConservateur(page);
  await page.goto("/conservateurs/departements/56");
  await page.getByRole("link", { name: "Analyse" }).click();
  await expect(page).toHaveURL(PAGE);
  await expect(page.getByRole("heading", { level: 2, name: "Couverture du récolement" })).toBeVisible();
  await expect(page.locator(".co-analyse-chiffre")).toContainText(/\d+(,\d)?\u00a0% des objets protégés vus depuis 5 ans/);

  const etats = page.getByRole("img", { name: "Objets recensés par état sanitaire" });
  await expect(etats).toBeVisible();
  await expect(page.getByRole("table", { name: "Objets recensés par état sanitaire" })).toContainText("En péril");
  await expect(page.getByRole("region", { name: "État et sécurité des objets recensés par catégorie" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Avancement du recensement semaine par semaine" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Objets vus il y a le plus longtemps" }).locator("tbody tr")).toHaveCount(20);
  await expectNoAxeViolations(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`a[href="${PAGE}/etats.csv"]`).click()]);
  expect(download.suggestedFilename()).toBe("analyse-56-etats.csv");
  const contenu = fs.readFileSync(await download.path(), "utf8");
  expect(contenu.startsWith("\uFEFFÉtat sanitaire retenu;Objets recensés;Part (%)")).toBe(true);
  expect(contenu).toMatch(/\r\nEn péril;\d+;/);
});

test("the public statistics page shows the national analysis with its CSV files", async ({ page }) => {
  await page.goto("/stats");
  await expect(page.getByRole("heading", { level: 1, name: "Statistiques" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Objets vus depuis 5 ans" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Objets vus depuis 5 ans par département" })).toContainText("56 – Morbihan");
  await expect(page.getByRole("img", { name: "Objets recensés par état sanitaire" })).toBeVisible();
  await expectNoAxeViolations(page);
  const csv = await page.request.get("/stats/couverture.csv");
  expect(csv.headers()["content-disposition"]).toBe('attachment; filename="collectif-objets-couverture.csv"');
  expect(await csv.text()).toContain("68 – Haut-Rhin;");
});
