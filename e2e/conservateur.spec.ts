import type { Page } from "@playwright/test";
import { demoCommuneEmail } from "../src/seed/demo-data.ts";
import { expect, expectNoAxeViolations, readMail, signInCommune, signInConservateur, test } from "./fixtures.ts";

/**
 * The conservateur journey of issue 5, then the commune reading the result. Each project works on its
 * own demo commune whose dossier was sent with objets en péril or disparus, so parallel runs never meet.
 */
const COMMUNE_BY_PROJECT: Record<
  string,
  { code: string; nom: string; departement: string; recherche: string; statut: string } | undefined
> = {
  // Sent, nothing examined yet: "À examiner en priorité".
  bureau: { code: "56263", nom: "Sainte-Anne-d'Auray", departement: "56", recherche: "SAINTE-ANNE", statut: "3" },
  // Sent, partly examined: "En cours d’examen".
  "sans-javascript": { code: "68112", nom: "Guebwiller", departement: "68", recherche: "guebw", statut: "4" },
};

const checked = new Set<string>();
async function axeOnce(page: Page, kind: string): Promise<void> {
  if (checked.has(kind)) return;
  checked.add(kind);
  await expectNoAxeViolations(page);
}

/** Ticks a DSFR checkbox or radio as a person does, by its label, and checks it took. */
async function tick(page: Page, label: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  if (!(await input.isChecked())) await page.locator("label", { hasText: label }).click();
  await expect(input).toBeChecked();
}

/** Examines the recensement shown: corrects the état when there is one and recommends a fiche. */
async function examinerLeRecensementAffiche(page: Page): Promise<void> {
  await expect(page.locator("h1")).toContainText("Examen du recensement");
  await axeOnce(page, "examen");
  const plainte = page.getByLabel("Informer la commune sur le dépôt de plainte", { exact: true });
  if (await plainte.count()) {
    await tick(page, "Informer la commune sur le dépôt de plainte");
  } else {
    const etat = page.getByRole("group", { name: /État de l’objet/ });
    await etat.locator("label", { hasText: "Mauvais état" }).click();
    await expect(etat.getByLabel("Mauvais état", { exact: true })).toBeChecked();
    await tick(page, "Informer la commune sur les mesures d’entretien préventives");
  }
  await page.getByRole("textbox", { name: /Votre commentaire sur cet objet/ }).fill("Merci pour les photos, très utiles.");
  await page.getByRole("button", { name: "Sauvegarder", exact: true }).click();
  await expect(page.locator("h1")).toContainText("Votre examen a bien été sauvegardé");
  await axeOnce(page, "examen sauvegardé");
}

test("un conservateur examine un dossier envoyé, l’envoie avec une visite, et la commune lit l’examen", async ({ page }, testInfo) => {
  const commune = COMMUNE_BY_PROJECT[testInfo.project.name];
  test.skip(!commune, "le parcours complet tourne sur ordinateur, avec et sans JavaScript");
  if (!commune) return;
  test.setTimeout(120_000);

  await signInConservateur(page);
  await axeOnce(page, "départements");

  // Dashboard: the default filter shows the dossiers to examine; filter further and search by name.
  await page.goto(`/conservateurs/departements/${commune.departement}`);
  const tableau = page.getByRole("table");
  await expect(tableau).toContainText(commune.nom);
  await axeOnce(page, "tableau de bord");
  await page.getByLabel("Statut de l’examen").selectOption(commune.statut);
  await page.getByRole("textbox", { name: /Nom de commune/ }).fill(commune.recherche);
  await page.locator("main").getByRole("button", { name: "Rechercher", exact: true }).click();
  await expect(page.getByLabel("Statut de l’examen")).toHaveValue(commune.statut);
  await expect(tableau.locator("tbody tr")).toHaveCount(1);
  await tableau.getByRole("link", { name: commune.nom }).click();

  // Commune page: the examen cannot be sent while prioritaires are left.
  await expect(page.locator("h1")).toContainText(`${commune.nom} (${commune.code})`);
  await axeOnce(page, "commune");
  if (commune.statut === "3") {
    await expect(page.locator("main")).toContainText(/Il reste \d+\s+objets?\s+en\s+péril\s+ou\s+disparus?\s+à\s+examiner/);
  } else {
    // Its prioritaires were examined before: examine one of the other objets, which is optional.
    await page
      .locator(".fr-card", { hasText: /À examiner(?! en priorité)/ })
      .first()
      .getByRole("link")
      .first()
      .click();
    await examinerLeRecensementAffiche(page);
  }

  for (let examined = 0; ; examined++) {
    expect(examined, "plus d’objets prioritaires que prévu").toBeLessThan(6);
    await page.goto(`/conservateurs/communes/${commune.code}`);
    const carte = page.locator(".fr-card", { hasText: "À examiner en priorité" }).first();
    if ((await carte.count()) === 0) break;
    await carte.getByRole("link").first().click();
    await examinerLeRecensementAffiche(page);
  }

  await expect(page.locator("main")).toContainText("Vous pouvez envoyer votre examen à la commune");
  await page.getByRole("link", { name: "Envoyer l’examen à la commune" }).first().click();
  await axeOnce(page, "envoi");
  await page.getByLabel("Commentaire global pour la commune").fill("Bravo pour ce recensement. Je passerai voir l’objet disparu.");
  await tick(page, "Visite souhaitable");
  await page.getByRole("button", { name: "Finaliser et envoyer l’examen à la commune" }).click();
  await expect(page.locator("main")).toContainText("L’examen a été envoyé à la commune.");
  await expect(page.locator("main")).toContainText(/Statut\s*:\s*Examiné/);

  await page.goto(`/conservateurs/communes/${commune.code}/examen`);
  await expect(page.locator("main")).toContainText("Déplacement souhaitable");
  await axeOnce(page, "examen envoyé");
  await page.goto(`/conservateurs/communes/${commune.code}/historique`);
  await expect(page.locator("main")).toContainText("Examen envoyé");
  await axeOnce(page, "historique");
  await page.goto("/conservateurs/visites");
  await expect(page.getByRole("row", { name: new RegExp(commune.nom) })).toContainText("Déplacement souhaitable");
  await axeOnce(page, "visites");

  // The commune reads the examen: the comment and the fiches, never the visit.
  await page.context().clearCookies();
  const mail = await readMail(page, demoCommuneEmail(commune.code), /examen/i);
  expect(mail).toContain("Bravo pour ce recensement.");
  expect(mail).not.toMatch(/visite|déplacement/i);
  await signInCommune(page, commune);
  await page.goto(`/communes/${commune.code}/dossier`);
  const rapport = page.locator("main");
  await expect(rapport).toContainText("Bravo pour ce recensement.");
  await expect(rapport).toContainText("Merci pour les photos, très utiles.");
  await expect(rapport).not.toContainText(/déplacement|visite souhaitable/i);
  await axeOnce(page, "rapport commune");
});
