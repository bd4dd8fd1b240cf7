import { palissyCsv, palissyRow } from "../src/import/fixtures/files.ts";
import { expect, expectNoAxeViolations, test, signInAdmin } from "./fixtures.ts";

const FICHIER = palissyCsv([
  palissyRow({ Reference: "PM01990001", Titre_editorial: "Calice de démonstration" }),
  palissyRow({ Reference: "PM01990002", Statut_juridique_du_proprietaire: "propriété de l'Etat" }),
]);

test("the support team uploads a Palissy file and follows the import until it is done", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "sans-javascript", "un seul import à la fois : un seul projet dépose un fichier");
  await signInAdmin(page);
  await page.goto("/admin/imports");
  await expect(page.getByRole("heading", { level: 1, name: "Imports" })).toBeVisible();
  await expectNoAxeViolations(page);

  // A file that is not a Palissy export is refused with the reason.
  await page.getByLabel("Type d’import").selectOption("palissy");
  await page.getByLabel(/Fichier à importer/).setInputFiles({ name: "autre.csv", mimeType: "text/csv", buffer: Buffer.from("a;b\n1;2\n") });
  await page.getByRole("button", { name: "Déposer et importer" }).click();
  await expect(page.getByRole("alert")).toContainText("Ce fichier ne convient pas pour un import Palissy");
  await expectNoAxeViolations(page);

  await page.getByLabel("Type d’import").selectOption("palissy");
  await page
    .getByLabel(/Fichier à importer/)
    .setInputFiles({ name: "palissy-e2e.csv", mimeType: "text/csv", buffer: Buffer.from(FICHIER) });
  await page.getByRole("button", { name: "Déposer et importer" }).click();
  await expect(page).toHaveURL(/\/admin\/imports\/\d+/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Palissy");
  await expectNoAxeViolations(page);

  // The page reloads itself every 5 seconds while the import waits or runs.
  await expect(page.locator("main .fr-badge").first()).toHaveText("Terminé", { timeout: 45_000 });
  const compteurs = page.getByRole("region", { name: /Compteurs de l’import/ });
  await expect(compteurs.locator("tbody td").nth(0)).toHaveText("2");
  await expect(compteurs.locator("tbody td").nth(1)).toHaveText("1");
  await expect(page.getByRole("region", { name: "Lignes hors périmètre, par raison", exact: true })).toContainText("Propriété de l’État");
  await expect(page.locator("progress")).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Retour à l’historique des imports" }).click();
  await expect(page.locator("tbody tr").first()).toContainText("palissy-e2e.csv");
  await expect(page.locator("tbody tr").first()).toContainText("Terminé");
  await expectNoAxeViolations(page);
});

test("the imports pages stay usable at 360 px", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "telephone-360", "vérification de la largeur téléphone");
  await signInAdmin(page);
  await page.goto("/admin/imports");
  await expect(page.getByRole("heading", { level: 1, name: "Imports" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/admin/campagnes");
  await expectNoAxeViolations(page);
});
