import { expect, expectNoAxeViolations, test, signInAdmin } from "./fixtures.ts";

/**
 * Issue 9 (suivi) in a browser, on Rocamadour (46240) only, whose dossier in construction no other spec
 * uses: the admin filters the journal by the commune, finds and opens its dossier, archives it with a
 * reason, and finds the archive in the journal. One project runs it (the archive is shared by the run).
 */
const ROCAMADOUR = { code: "46240", nom: "Rocamadour" };

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

test("the support team fixes the dates of the ongoing campaign of the Morbihan", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "bureau", "un seul projet enregistre les dates de la campagne de démonstration");
  await signInAdmin(page);
  await page.goto("/admin/campagnes?statut=ongoing&departement=56");
  await page
    .getByRole("link", { name: /du département Morbihan/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Corriger les dates" })).toBeVisible();
  await expectNoAxeViolations(page);

  const cloture = page.getByLabel(/^Date de clôture/);
  const origine = await cloture.inputValue();
  // A Saturday is refused, and the typed value stays in the form.
  const samedi = new Date(`${origine}T12:00:00Z`);
  samedi.setUTCDate(samedi.getUTCDate() + ((6 - samedi.getUTCDay() + 7) % 7 || 7));
  const jourSamedi = samedi.toISOString().slice(0, 10);
  await cloture.fill(jourSamedi);
  await page.getByRole("button", { name: "Enregistrer les nouvelles dates" }).click();
  await expect(page.locator(".fr-error-text")).toContainText("ne peut pas être un samedi ou un dimanche");
  await expect(page.getByLabel(/^Date de clôture/)).toHaveValue(jourSamedi);
  await expectNoAxeViolations(page);

  // The following Monday is accepted.
  const lundi = new Date(samedi);
  lundi.setUTCDate(lundi.getUTCDate() + 2);
  await page.getByLabel(/^Date de clôture/).fill(lundi.toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Enregistrer les nouvelles dates" }).click();
  await expect(page.getByRole("status")).toContainText("Les dates de la campagne ont été modifiées.");
  await expectNoAxeViolations(page);
});
