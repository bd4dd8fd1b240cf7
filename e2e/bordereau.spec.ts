import fs from "node:fs";
import { expect, expectNoAxeViolations, signInConservateur, test } from "./fixtures.ts";

/**
 * Issue 8: after sending the examen of Eguisheim (68078, sent with objets in good state only), the
 * conservateur generates the bordereau de récolement of its church and downloads it. Only this spec
 * uses 68078, and only on the desktop project (the examen can be sent once per run).
 */
const COMMUNE = { code: "68078", nom: "Eguisheim", edifice: "Église Saints-Pierre-et-Paul" };

test("un conservateur envoie l’examen puis génère et télécharge le bordereau de récolement", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "bureau", "l’examen d’Eguisheim ne s’envoie qu’une fois par exécution : ordinateur avec JavaScript");
  test.setTimeout(120_000);

  await signInConservateur(page);

  // Before the examen is sent, the tab only explains.
  await page.goto(`/conservateurs/communes/${COMMUNE.code}/bordereaux`);
  await expect(page.locator("main")).toContainText("pourront être édités une fois que vous aurez examiné");

  // Nothing is prioritaire: the examen can be sent at once.
  await page.goto(`/conservateurs/communes/${COMMUNE.code}`);
  await expect(page.locator("main")).toContainText("Vous pouvez envoyer votre examen à la commune");
  await page.getByRole("link", { name: "Envoyer l’examen à la commune" }).first().click();
  await page.getByLabel("Commentaire global pour la commune").fill("Merci, tout est en ordre. Le bordereau suit.");
  await page.locator("label", { hasText: "Pas de visite prévue" }).click();
  await expect(page.getByLabel("Pas de visite prévue", { exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Finaliser et envoyer l’examen à la commune" }).click();
  await expect(page.locator("main")).toContainText("L’examen a été envoyé à la commune.");

  // The Bordereaux tab: one accordion per édifice with protected objets, to generate.
  await page.getByRole("link", { name: "Bordereaux de récolement" }).click();
  await expect(page).toHaveURL(new RegExp(`/conservateurs/communes/${COMMUNE.code}/bordereaux`));
  const accordeon = page.getByRole("button", { name: new RegExp(`${COMMUNE.edifice} · \\d+ objets? protégés?`) });
  await expect(accordeon).toContainText("À générer");
  await expectNoAxeViolations(page);
  if ((await accordeon.getAttribute("aria-expanded")) !== "true") await accordeon.click();
  const panneau = page.locator(`#${(await accordeon.getAttribute("aria-controls")) ?? ""}`);
  const premierEtat = panneau.getByLabel("État de conservation").first();
  await expect(premierEtat).toBeVisible();
  await panneau.getByLabel("Notes propriétaire").first().fill("Commune d’Eguisheim");
  await panneau.getByRole("button", { name: "Enregistrer et générer le bordereau" }).click();
  await expect(page.locator("main")).toContainText("sa génération est en cours");

  // The worker generates it within seconds: refresh until the download link shows.
  const telecharger = page.getByRole("link", { name: /Télécharger le bordereau \(PDF de \d+ Ko\)/ });
  await expect(async () => {
    await page.reload();
    await expect(telecharger).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000, 2000, 2000] });
  await expect(page.getByRole("button", { name: new RegExp(COMMUNE.edifice) })).toContainText("Généré");
  await expectNoAxeViolations(page);

  const [download] = await Promise.all([page.waitForEvent("download"), telecharger.click()]);
  expect(download.suggestedFilename()).toBe("bordereau-eguisheim-eglise-saints-pierre-et-paul.pdf");
  const file = await download.path();
  expect(fs.readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");
});
