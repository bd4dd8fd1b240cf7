import type { Page } from "@playwright/test";
import { demoCommuneEmail } from "../src/seed/demo-data.ts";
import { expect, expectNoAxeViolations, signInConservateur, test } from "./fixtures.ts";

/**
 * Issue 6 in a browser: a conservateur prepares and plans a campaign in the Lot (no campaign in the demo
 * data), for two small communes no other scenario uses; the daily run is then played on the launch day
 * and on the first reminder's day through the development page /dev/horloge (never by waiting), and one
 * commune unsubscribes through the link of its mail.
 */
const MARTEL = { code: "46185", nom: "Martel" };
const ASSIER = { code: "46009", nom: "Assier" };

async function tick(page: Page, label: string | RegExp): Promise<void> {
  const input = page.getByLabel(label);
  if (!(await input.isChecked())) await page.locator("label", { hasText: label }).click();
  await expect(input).toBeChecked();
}

async function jouerLaJournee(page: Page, jour: string): Promise<void> {
  await page.goto("/dev/horloge");
  await page.getByLabel("Jour à exécuter").fill(jour);
  await page.getByRole("button", { name: "Exécuter la journée" }).click();
  await expect(page.locator("main")).toContainText(`Journée du ${jour} exécutée`);
}

/** Subjects of the mails to an address, newest first, from the development mail viewer. */
async function sujetsPour(page: Page, to: string): Promise<string[]> {
  await page.goto("/dev/mails");
  return page.locator("tr", { hasText: to }).locator("td").allTextContents();
}

test("un conservateur planifie une campagne, le lancement et la relance partent, une commune se désinscrit", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "bureau", "une seule campagne du Lot peut être planifiée à ces dates");
  test.setTimeout(120_000);

  await signInConservateur(page);
  await page.goto("/conservateurs/departements/46");
  await page.getByRole("link", { name: "Créer une campagne" }).click();
  await expect(page.locator("h1")).toContainText("campagne");
  await expectNoAxeViolations(page);
  const lancement = await page.getByLabel("Date de lancement").inputValue();
  const relance1 = await page.getByLabel("Date de la première relance").inputValue();
  expect(lancement).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page.getByLabel(/Message personnalisé/).fill("La paroisse peut vous ouvrir l’église le mardi.");
  await page.getByRole("button", { name: "Créer la campagne" }).click();

  // Recipients: only two communes.
  await expect(page.locator("main")).toContainText("Enregistrer la sélection");
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Tout désélectionner" }).click();
  await tick(page, `${MARTEL.nom} (${MARTEL.code})`);
  await tick(page, `${ASSIER.nom} (${ASSIER.code})`);
  await page.getByRole("button", { name: "Enregistrer la sélection" }).click();
  await expect(page.locator("main")).toContainText("La sélection a été enregistrée : 2 communes destinataires.");
  await expect(page.locator("main")).toContainText(/La campagne concerne 2\s+communes parmi les/);
  const campagneUrl = page.url();
  await expectNoAxeViolations(page);

  // Preview of the first reminder for Martel.
  await page.getByRole("link", { name: "Prévisualiser les mails" }).click();
  await page.getByLabel("Commune destinataire").selectOption(MARTEL.code);
  await page.getByLabel("Étape").selectOption("relance1");
  await page.getByRole("button", { name: "Voir", exact: true }).click();
  await expect(page.locator("main")).toContainText(`[DRAC`);
  await expect(page.locator("main")).toContainText(MARTEL.nom);
  await expectNoAxeViolations(page, { iframes: false });

  await page.goto(campagneUrl);
  await page.getByRole("button", { name: "Planifier la campagne" }).click();
  await expect(page.locator("main")).toContainText("Planifiée");

  // The launch day: both communes get the launch mail.
  await jouerLaJournee(page, lancement);
  const martelLancement = await sujetsPour(page, demoCommuneEmail(MARTEL.code));
  expect(martelLancement.join(" ")).toContain("[DRAC");
  await page.goto("/dev/mails");
  await page
    .locator("tr", { hasText: demoCommuneEmail(ASSIER.code) })
    .filter({ hasText: "[DRAC" })
    .first()
    .getByRole("link")
    .click();
  const texte = (await page.locator("pre.co-mail-text").textContent()) ?? "";
  const lien = /https?:\/\/\S+\/desinscription\?jeton=[\w-]+/.exec(texte)?.[0];
  expect(lien, texte).toBeTruthy();

  // Assier unsubscribes through its link, signed out.
  await page.context().clearCookies();
  await page.goto(new URL(lien!).pathname + new URL(lien!).search);
  await expect(page.locator("h1")).toHaveText("Désinscription");
  await expectNoAxeViolations(page);
  await tick(page, "Nous recenserons plus tard");
  await page.getByRole("button", { name: "Me désinscrire" }).click();
  await expect(page.locator("h1")).toHaveText("Désinscription enregistrée");

  // The first reminder's day: Martel is reminded, Assier is not.
  const avantRelance = (await sujetsPour(page, demoCommuneEmail(ASSIER.code))).length;
  await jouerLaJournee(page, relance1);
  await page.goto("/dev/mails");
  const martel = page.locator("tr", { hasText: demoCommuneEmail(MARTEL.code) }).filter({ hasText: "[DRAC" });
  await expect(martel).toHaveCount(2);
  expect((await sujetsPour(page, demoCommuneEmail(ASSIER.code))).length).toBe(avantRelance);
});
