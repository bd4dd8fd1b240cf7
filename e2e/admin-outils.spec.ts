import { expect, expectNoAxeViolations, test, signInAdmin } from "./fixtures.ts";

test("the support team checks the dashboard, the mails and the background jobs", async ({ page }, testInfo) => {
  test.skip(
    testInfo.project.name !== "bureau" && testInfo.project.name !== "telephone-360",
    "pages en lecture seule : le parcours sans JavaScript est couvert par les autres sections",
  );
  test.slow(); // an axe check on every page
  // A mairie asks for a login code: the outbox then holds at least one mail.
  await page.goto("/communes/connexion?departement=46&code_insee=46240");
  await page.getByRole("button", { name: "Recevoir un code de connexion" }).click();
  await signInAdmin(page);

  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Tableau de bord" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Campagnes en cours" })).toBeVisible();
  await expect(page.getByText("communes ayant des objets protégés")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Voir les mails en échec" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mails" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto("/admin/mails");
  const premier = page.locator('main table a[href^="/admin/mails/"]').first();
  await expect(premier).toBeVisible();
  const sujet = (await premier.textContent())?.trim() ?? "";
  await premier.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(sujet);
  await expect(page.getByRole("heading", { level: 2, name: "Version texte" })).toBeVisible();
  await expect(page.locator("iframe[sandbox]")).toHaveAttribute("src", /\/admin\/mails\/\d+\/html$/);
  await expectNoAxeViolations(page, { iframes: false });

  await page.goto("/admin/mails/apercus");
  await expect(page.getByRole("heading", { level: 1, name: "Aperçu des mails" })).toBeVisible();
  await page.getByRole("link", { name: "Code de connexion d’une commune" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Code de connexion d’une commune" })).toBeVisible();
  await expect(page.locator("iframe[sandbox]")).toHaveAttribute("src", /apercus\/html\?modele=code-connexion/);
  await expectNoAxeViolations(page, { iframes: false });

  await page.goto("/admin/taches");
  await expect(page.getByRole("heading", { level: 1, name: "Tâches de fond" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "auto-soumission-dossiers" })).toBeVisible();
  await expectNoAxeViolations(page);
});
