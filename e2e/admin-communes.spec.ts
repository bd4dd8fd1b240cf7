import { expect, expectNoAxeViolations, test, signInAdmin } from "./fixtures.ts";

/**
 * Issue 9 (communes) in a browser: a mairie calls support, who finds the commune by name, reads its objets,
 * reveals its login code (audited), leaves a note for the team and removes it; then the codes de connexion,
 * départements and API pages. One demo commune per project, so that the projects do not share comments.
 */
// Communes no other spec signs in to: revealing a code creates a new one, which would outdate a code sent by mail.
const COMMUNE_BY_PROJECT: Record<string, { code: string; nom: string; recherche: string; edifice: string }> = {
  bureau: { code: "56196", nom: "Rochefort-en-Terre", recherche: "rochefort", edifice: "Église Notre-Dame-de-la-Tronchaye" },
  "sans-javascript": { code: "68224", nom: "Mulhouse", recherche: "mulhouse", edifice: "Temple Saint-Étienne" },
};

test("support finds a commune, reads its objets, reveals its login code and keeps a note", async ({ page }, testInfo) => {
  test.skip(
    testInfo.project.name !== "bureau" && testInfo.project.name !== "sans-javascript",
    "la largeur téléphone du back-office est vérifiée par les sections outils et comptes",
  );
  test.slow(); // an axe check on every page
  const commune = COMMUNE_BY_PROJECT[testInfo.project.name] ?? COMMUNE_BY_PROJECT.bureau!;
  await signInAdmin(page);

  await page.goto("/admin/communes");
  await page.getByLabel(/Nom contient/).fill(commune.recherche);
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(new RegExp(`nom=${commune.recherche}`));
  await expectNoAxeViolations(page);
  await page.locator(`main a[href="/admin/communes/${commune.code}"]`).click();

  await expect(page.getByRole("heading", { level: 1, name: `${commune.nom} (${commune.code})` })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Objets protégés" })).toBeVisible();
  await expect(page.locator("caption", { hasText: commune.edifice })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Afficher le code de connexion" }).click();
  await expect(page.locator("#code-de-connexion")).toContainText(/Code de connexion : \d{6}/);
  await expectNoAxeViolations(page);

  const note = `Appel de la mairie (${testInfo.project.name}) : rappeler jeudi.`;
  await page.getByLabel(/Nouveau commentaire/).fill(note);
  await page.getByRole("button", { name: "Ajouter le commentaire" }).click();
  const carte = page.locator(".fr-card", { hasText: note });
  await expect(carte).toBeVisible();
  await expectNoAxeViolations(page);
  await carte.getByRole("button", { name: /Supprimer/ }).click();
  await expect(page.locator(".fr-card", { hasText: note })).toHaveCount(0);

  await page.goto(`/admin/codes-connexion?commune=${commune.code}`);
  await expect(page.getByRole("heading", { level: 1, name: "Codes de connexion" })).toBeVisible();
  await expect(page.locator(`main a[href="/admin/communes/${commune.code}#code-de-connexion"]`).first()).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto("/admin/departements");
  await expect(page.getByRole("heading", { level: 1, name: "Départements" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/admin/api-clients");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);
});
