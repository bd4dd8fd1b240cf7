import type { Page } from "@playwright/test";
import { DEMO_CONSERVATEUR_EMAIL } from "../src/seed/demo-data.ts";
import { expect, expectNoAxeViolations, readMail, signInCommune, signInConservateur, test } from "./fixtures.ts";

/**
 * Issue 10, alerts: a commune reports an objet it cannot find, the alert mail reaches the conservateur
 * (the job is run at once through /dev/alertes, never by waiting), who finds it in the département's
 * Alertes tab and marks it handled. One small inactive demo commune of the Morbihan per project.
 */
const COMMUNE_BY_PROJECT: Record<string, { code: string; nom: string; departement: string }> = {
  bureau: { code: "56195", nom: "La Roche-Bernard", departement: "56" },
  "sans-javascript": { code: "56184", nom: "Questembert", departement: "56" },
  "telephone-360": { code: "56073", nom: "Guémené-sur-Scorff", departement: "56" },
};

async function choose(page: Page, label: string | RegExp): Promise<void> {
  await page.locator("label", { hasText: label }).click();
  await expect(page.getByLabel(label)).toBeChecked();
}

const next = (page: Page) => page.getByRole("button", { name: "Passer à l’étape suivante" }).click();

test("une commune signale un objet introuvable, le conservateur reçoit l’alerte et la traite", async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const commune = COMMUNE_BY_PROJECT[testInfo.project.name] ?? COMMUNE_BY_PROJECT.bureau!;

  // The commune does not find its first objet.
  await signInCommune(page, commune);
  await page.goto(`/communes/${commune.code}/objets`);
  await page
    .getByRole("button", { name: /^Recenser/ })
    .first()
    .click();
  await choose(page, "Non, je ne sais pas où est l’objet");
  await next(page);
  await page.getByRole("button", { name: "Confirmer et continuer" }).click();
  await next(page);
  await page.getByRole("button", { name: "Valider le recensement de cet objet" }).click();
  await expect(page.locator("h1")).toHaveText("Votre recensement a bien été enregistré");

  // The alert job, run now: one mail to the demo conservateur listing the objet.
  await page.goto("/dev/alertes");
  await page.getByRole("button", { name: "Envoyer les alertes maintenant" }).click();
  await expect(page.getByRole("status")).toContainText("Communes alertées");
  const mail = await readMail(page, DEMO_CONSERVATEUR_EMAIL, new RegExp(`Alerte Collectif Objets : 1 objet disparu à ${commune.nom}`));
  expect(mail).toContain("La commune n’a pas trouvé l’objet (disparu)");
  expect(mail).toContain("/conservateurs/departements/56/alertes");
  expect(mail).toContain("Dépôt de plainte");

  // The conservateur opens the Alertes tab of the département and marks it handled.
  await page.context().clearCookies();
  await signInConservateur(page);
  await page.goto("/conservateurs/departements/56");
  await page.getByRole("link", { name: "Alertes", exact: true }).click();
  await expect(page).toHaveURL(/\/conservateurs\/departements\/56\/alertes$/);
  const alerte = page.locator(".alertes-item", { hasText: commune.nom });
  await expect(alerte).toHaveCount(1);
  await expect(alerte).toContainText("Disparu");
  await expectNoAxeViolations(page);

  await alerte.locator("label", { hasText: "J’ai traité cette alerte" }).click();
  await alerte.getByRole("button", { name: /Marquer comme traitée/ }).click();
  await expect(page.locator("main")).toContainText("L’alerte est marquée comme traitée");
  await expect(page.locator(".alertes-item", { hasText: commune.nom })).toHaveCount(0);
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: /^Traitées/ }).click();
  const traitee = page.locator(".alertes-item", { hasText: commune.nom });
  await expect(traitee).toContainText("Traitée le");
  await expect(traitee).toContainText("par ");
  await expectNoAxeViolations(page);
});
