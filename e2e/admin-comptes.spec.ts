import { expect, expectNoAxeViolations, test, signInAdmin } from "./fixtures.ts";

test("the support team creates, corrects and deactivates a conservateur account, then creates an admin", async ({ page }, testInfo) => {
  test.skip(
    testInfo.project.name !== "sans-javascript" && testInfo.project.name !== "telephone-360",
    "le parcours avec JavaScript est couvert par la section communes",
  );
  test.slow(); // a long journey, with an axe check on every page
  const suffixe = `${testInfo.project.name}-${Date.now()}`;
  const email = `camille.durand-${suffixe}@culture.gouv.fr`;
  await signInAdmin(page);

  await page.goto("/admin/conservateurs");
  await expect(page.getByRole("heading", { level: 1, name: "Conservateurs" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Créer un compte conservateur" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nouveau compte conservateur" })).toBeVisible();
  // Sent without a département: the form comes back with a French message and keeps what was typed.
  await page.getByLabel("Email (obligatoire)").fill(email);
  await page.getByLabel("Prénom (obligatoire)", { exact: true }).fill("Camille");
  await page.getByLabel("Nom (obligatoire)", { exact: true }).fill("Durand");
  await page.getByRole("button", { name: "Créer le compte et envoyer le lien de première connexion" }).click();
  await expect(page.getByText("au moins un département", { exact: false }).first()).toBeVisible();
  await expect(page.getByLabel("Email (obligatoire)")).toHaveValue(email);
  await expectNoAxeViolations(page);

  // The DSFR draws the box on the label, which takes the click.
  await page.locator("label[for=dep-56]").click();
  await expect(page.getByLabel("56 - Morbihan")).toBeChecked();
  await page.getByRole("button", { name: "Créer le compte et envoyer le lien de première connexion" }).click();
  await expect(page.getByText(`Compte créé. ${email} a reçu un email`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Modifier Camille Durand" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Téléphone").fill("02 97 00 00 00");
  await page.locator("label[for=dep-68]").click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.goto(`/admin/conservateurs?nom=${encodeURIComponent(email)}`);
  const ligne = page.getByRole("row").filter({ hasText: email });
  await expect(ligne).toContainText("56, 68");
  await expect(ligne).toContainText("02 97 00 00 00");
  await expect(ligne).toContainText("Jamais connecté");
  await expectNoAxeViolations(page);

  await ligne.getByRole("link", { name: "Modifier Camille Durand" }).click();
  await page.getByRole("button", { name: "Désactiver le compte" }).click();
  await expect(page.getByRole("button", { name: "Réactiver le compte" })).toBeVisible();
  await page.goto(`/admin/conservateurs?nom=${encodeURIComponent(email)}`);
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("Désactivé");

  const emailAdmin = `support-${suffixe}@beta.gouv.fr`;
  await page.goto("/admin/administrateurs");
  await expect(page.getByRole("heading", { level: 1, name: "Administrateurs" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/admin/administrateurs/nouveau");
  await page.getByLabel("Email (obligatoire)").fill(emailAdmin);
  await page.getByLabel("Prénom (obligatoire)", { exact: true }).fill("Dominique");
  await page.getByLabel("Nom (obligatoire)", { exact: true }).fill("Support");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: /Créer le compte/ }).click();
  await expect(page.getByRole("row").filter({ hasText: emailAdmin })).toBeVisible();
});
