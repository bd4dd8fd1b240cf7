import type { Page } from "@playwright/test";
import { DEMO_ADMIN_EMAIL, DEMO_CONSERVATEUR_EMAIL, DEMO_PASSWORD, demoCommuneEmail } from "../src/seed/demo-data.ts";
import { expect, expectNoAxeViolations, test } from "./fixtures.ts";

/** Each project uses its own commune: the three projects run at the same time against one server. */
const COMMUNE_BY_PROJECT: Record<string, { code: string; departement: string }> = {
  bureau: { code: "56034", departement: "56" },
  "sans-javascript": { code: "68066", departement: "68" },
  "telephone-360": { code: "56091", departement: "56" },
};

/** Opens the latest mail sent to `to` whose subject matches, in the development mail viewer, and returns its text part. */
async function readMail(page: Page, to: string, subject: RegExp): Promise<string> {
  await page.goto("/dev/mails");
  await page.locator("tr", { hasText: to }).filter({ hasText: subject }).first().getByRole("link").click();
  return (await page.locator("pre.co-mail-text").textContent()) ?? "";
}

test.describe("comptes", () => {
  // Several pages per journey, each checked with axe (twice as slow without JavaScript).
  test.describe.configure({ timeout: 180_000 });

  test("une commune se connecte avec le code reçu par email", async ({ page }, testInfo) => {
    const commune = COMMUNE_BY_PROJECT[testInfo.project.name] ?? COMMUNE_BY_PROJECT.bureau!;
    await page.goto("/communes/connexion");
    await expectNoAxeViolations(page);
    await page.getByLabel("Département").selectOption(commune.departement);
    await page.getByRole("button", { name: "Choisir le département" }).click();
    await page.getByLabel("Commune").selectOption(commune.code);
    await page.getByRole("button", { name: "Choisir la commune" }).click();
    await expect(page.locator("main")).toContainText(demoCommuneEmail(commune.code));
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Recevoir un code de connexion" }).click();
    await expect(page.locator("h1")).toHaveText("Saisissez votre code de connexion");
    await expect(page.locator("main")).toContainText("Un code de connexion vient d’être envoyé");
    await expectNoAxeViolations(page);

    const text = await readMail(page, demoCommuneEmail(commune.code), /Code de connexion Collectif Objets/);
    const code = /\b(\d{6})\b/.exec(text)?.[1];
    expect(code).toBeTruthy();
    await page.goto(`/communes/connexion/code?code_insee=${commune.code}`);
    await page.getByLabel("Code de connexion").fill(code!);
    await page.getByRole("button", { name: "Connexion", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/communes/${commune.code}/(premiere-visite|objets)$`));
    await expect(page.locator("main")).toContainText("Vous êtes maintenant connecté•e.");
    await expectNoAxeViolations(page);

    await page.goto(`/communes/${commune.code}/preferences`);
    await expect(page.locator("h1")).toHaveText("Préférences");
    await expectNoAxeViolations(page);
  });

  test("un conservateur définit son mot de passe par le lien reçu, puis se connecte", async ({ page }, testInfo) => {
    // Using a link kills the conservateur's other pending links: one project only, so parallel runs do not collide.
    test.skip(testInfo.project.name !== "bureau", "un seul projet manipule les liens du compte de démonstration");
    await page.goto("/conservateurs/sign_in");
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Mot de passe oublié ?", exact: true }).click();
    await expectNoAxeViolations(page);
    await page.getByLabel("Email").fill(DEMO_CONSERVATEUR_EMAIL);
    await page.getByRole("button", { name: "Recevoir le lien" }).click();
    await expect(page.locator("main")).toContainText("Si un compte correspond à l’adresse");

    const text = await readMail(page, DEMO_CONSERVATEUR_EMAIL, /mot de passe/);
    const link = /https?:\/\/\S+\/conservateurs\/password\/edit\?token=[\w-]+/.exec(text)?.[0];
    expect(link).toBeTruthy();
    await page.goto(new URL(link!).pathname + new URL(link!).search);
    await expectNoAxeViolations(page);
    await page.getByRole("textbox", { name: /^Nouveau mot de passe/ }).fill(DEMO_PASSWORD);
    await page.getByLabel("Confirmation du nouveau mot de passe").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Enregistrer mon mot de passe" }).click();
    await expect(page.locator("main")).toContainText("Votre mot de passe a bien été modifié.");
    await expectNoAxeViolations(page);

    await page.context().clearCookies();
    await page.goto("/conservateurs/sign_in");
    await page.getByLabel("Email").fill(DEMO_CONSERVATEUR_EMAIL);
    await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page.locator("main")).toContainText("Vous êtes connecté•e.");
    await page.goto("/conservateurs/compte");
    await expect(page.locator("h1")).toHaveText("Mon compte");
    await expectNoAxeViolations(page);
  });

  test("un admin incarne une commune en lecture seule et ne peut rien modifier", async ({ page }, testInfo) => {
    const commune = COMMUNE_BY_PROJECT[testInfo.project.name] ?? COMMUNE_BY_PROJECT.bureau!;
    await page.goto("/admin/connexion");
    await expectNoAxeViolations(page);
    await page.getByLabel("Email").fill(DEMO_ADMIN_EMAIL);
    await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await page.goto(`/admin/communes?insee=${commune.code}`);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: /Incarner/ }).click();
    await expect(page.locator(".fr-notice")).toContainText("en mode lecture seule");
    await expectNoAxeViolations(page);

    await page.goto(`/communes/${commune.code}/preferences`);
    await page.getByRole("button", { name: "Sauvegarder" }).click();
    await expect(page.locator("h1")).toHaveText("Accès refusé");
    await expect(page.locator("main")).toContainText("lecture seule");
    await expectNoAxeViolations(page);

    await page.goto("/admin");
    await expect(page.locator("main")).toContainText("Vous n’incarnez plus d’usager de commune.");
    await expect(page.locator(".fr-notice")).toHaveCount(0);
  });
});
