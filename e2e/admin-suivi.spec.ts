import type { Page } from "@playwright/test";
import { expect, expectNoAxeViolations, test } from "./fixtures.ts";

/**
 * Issue 9 (suivi) in a browser, on Rocamadour (46240) only, whose dossier in construction no other spec
 * uses: the admin filters the journal by the commune, finds and opens its dossier, archives it with a
 * reason, and finds the archive in the journal. One project runs it (the archive is shared by the run).
 */
const ROCAMADOUR = { code: "46240", nom: "Rocamadour" };

async function signInAdmin(page: Page): Promise<void> {
  await page.goto("/admin/connexion");
  await page.getByLabel("Email").fill("admin@demo.test");
  await page.getByLabel("Mot de passe", { exact: true }).fill("collectif-objets-demo");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).not.toHaveURL(/\/admin\/connexion/);
}

test("the support team reads the journal, opens and archives a dossier with a reason", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "bureau", "un seul projet archive le dossier de démonstration");
  await signInAdmin(page);

  await page.goto("/admin/journal");
  await expect(page.getByRole("heading", { level: 1, name: "Journal des actions" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel(/Commune concernée/).fill(ROCAMADOUR.code);
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/commune=46240/);
  await expectNoAxeViolations(page);

  await page.goto("/admin/dossiers");
  await expectNoAxeViolations(page);
  await page.getByLabel(/^Commune/).fill(ROCAMADOUR.code);
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page
    .getByRole("link", { name: new RegExp(`de ${ROCAMADOUR.nom}`) })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${ROCAMADOUR.nom} (${ROCAMADOUR.code})`);
  await expect(page.getByText("Recensement en cours").first()).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel(/Raison de l’archivage/).fill("Dossier commencé par erreur, demande de la mairie au téléphone");
  await page.getByRole("button", { name: "Archiver le dossier" }).click();
  await expect(page.getByRole("status")).toContainText("Le dossier est archivé.");
  await expect(page.locator("main")).toContainText("Dossier commencé par erreur");
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "journal de la commune" }).click();
  const ligne = page.locator("tbody tr", { hasText: "Dossier archivé" }).first();
  await expect(ligne).toContainText("Administrateur");
  await expect(ligne).toContainText("Dossier commencé par erreur");
  await expectNoAxeViolations(page);
});
