import sharp from "sharp";
import { expect, expectNoAxeViolations, signInConservateur, test } from "./fixtures.ts";

/**
 * Keyboard-driven examen (SPEC §11.4) on a recensement of Hennebont (56083, dossier partly examined):
 * shortcuts, unsaved choices kept across a photo upload, the photo viewer, Ctrl+Entrée to save and go
 * on. The commune's answers are put back before saving, so the dossier's counters stay as they were.
 */
const TOUCHE_ETAT: Record<string, string> = { bon: "1", moyen: "2", mauvais: "3", peril: "4" };
const TOUCHE_SECURISATION: Record<string, string> = { en_securite: "s", en_danger: "d" };

test("un conservateur examine un recensement au clavier", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "bureau", "raccourcis clavier : navigateur de bureau avec JavaScript");
  test.setTimeout(120_000);

  await signInConservateur(page);

  // A recensement of Hennebont the commune could assess (état and sécurisation to confirm), without comment nor photo yet.
  await page.goto("/conservateurs/communes/56083");
  const liens = await page
    .locator('a[href^="/conservateurs/recensements/"][href$="/examen"]')
    .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href") ?? ""))].filter(Boolean));
  let trouve = false;
  for (const lien of liens) {
    await page.goto(lien);
    const recensable = (await page.locator('input[name="etat_sanitaire"]').count()) > 0;
    const vierge = recensable && (await page.locator("#analyse_notes").inputValue()) === "";
    if (vierge && (await page.getByText("Pivoter à gauche").count()) === 0) {
      trouve = true;
      break;
    }
  }
  expect(trouve, "un recensement recensable sans photo à Hennebont").toBe(true);
  await expect(page.locator("h1")).toContainText("Examen du recensement –");
  await expectNoAxeViolations(page);

  const etatInitial = await page.locator('input[name="etat_sanitaire"]:checked').inputValue();
  const securisationInitiale = await page.locator('input[name="securisation"]:checked').inputValue();
  const annonce = page.locator("[data-ex-annonce]");

  // "?" shows the help, "4" and "d" choose, each announced.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await expect(page.getByRole("button", { name: "Raccourcis clavier" })).toBeVisible();
  await page.keyboard.press("?");
  await expect(page.locator("#ex-raccourcis-aide")).toBeVisible();
  await expect(page.getByRole("button", { name: "Raccourcis clavier" })).toHaveAttribute("aria-expanded", "true");
  await expect(annonce).toHaveText("Aide des raccourcis clavier affichée");
  await expectNoAxeViolations(page);
  await page.keyboard.press("4");
  await expect(page.locator('input[name="etat_sanitaire"][value="peril"]')).toBeChecked();
  await expect(annonce).toHaveText("État de l’objet : En péril");
  await page.keyboard.press("d");
  await expect(page.locator('input[name="securisation"][value="en_danger"]')).toBeChecked();
  await expect(annonce).toHaveText("Sécurisation : Facile à voler");

  // While typing in the comment, the keys are text.
  await page.keyboard.press("c");
  const commentaire = page.getByLabel("Votre commentaire sur cet objet (facultatif)");
  await expect(commentaire).toBeFocused();
  await page.keyboard.type("1 photo ajoutée par le conservateur");
  await expect(commentaire).toHaveValue("1 photo ajoutée par le conservateur");
  await expect(page.locator('input[name="etat_sanitaire"][value="peril"]')).toBeChecked();

  // A photo upload reloads the page: the choices not saved yet come back.
  const photo = testInfo.outputPath("examen-detail.jpg");
  await sharp({ create: { width: 900, height: 600, channels: 3, background: "#7a5c3e" } })
    .jpeg()
    .toFile(photo);
  await page.getByLabel("Ajouter des photos").setInputFiles(photo);
  await page.getByRole("button", { name: "Envoyer les photos" }).click();
  await expect(page.locator("main")).toContainText("La photo a été ajoutée.");
  await expect(page.locator('input[name="etat_sanitaire"][value="peril"]')).toBeChecked();
  await expect(page.locator('input[name="securisation"][value="en_danger"]')).toBeChecked();
  await expect(commentaire).toHaveValue("1 photo ajoutée par le conservateur");

  // The viewer: "p" opens it on the first photo, focus stays inside, Escape gives it back to the thumbnail.
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("p");
  const visionneuse = page.getByRole("dialog", { name: "Photo 1 / 1" });
  await expect(visionneuse).toBeVisible();
  await expect(visionneuse.getByRole("button", { name: "Fermer" })).toBeFocused();
  await expect(visionneuse.getByRole("button", { name: "Photo suivante" })).toBeDisabled();
  await expect(visionneuse.getByRole("button", { name: "Zoom arrière" })).toBeDisabled();
  const largeur = await visionneuse.locator("img").evaluate((img) => img.getBoundingClientRect().width);
  await page.keyboard.press("+");
  await expect(visionneuse.getByRole("button", { name: "Zoom arrière" })).toBeEnabled();
  expect(await visionneuse.locator("img").evaluate((img) => img.getBoundingClientRect().width)).toBeGreaterThan(largeur * 1.4);
  await page.keyboard.press("Tab");
  await expect(visionneuse.getByRole("group")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(visionneuse.getByRole("button", { name: "Zoom arrière" })).toBeFocused();
  await expectNoAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(visionneuse).toBeHidden();
  await expect(page.locator("[data-ex-photo-lien]").first()).toBeFocused();

  // The commune's answers back (no override), then Ctrl+Entrée from the comment saves and goes on.
  await page.keyboard.press(TOUCHE_ETAT[etatInitial]!);
  await page.keyboard.press(TOUCHE_SECURISATION[securisationInitiale]!);
  await expect(page.locator(`input[name="etat_sanitaire"][value="${etatInitial}"]`)).toBeChecked();
  const adresse = page.url();
  await commentaire.focus();
  await page.keyboard.press("Control+Enter");
  await page.waitForURL((url) => url.href !== adresse);
  await expect(page.locator("main")).toContainText(/Examen sauvegardé\. Recensement suivant|Votre examen a bien été sauvegardé/);
});
