import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import sharp from "sharp";
import { expect, expectNoAxeViolations, signInCommune, test } from "./fixtures.ts";

/**
 * The commune journey of issue 4, once per project on its own small inactive demo commune (4 objets,
 * one édifice): one objet absent, one moved to another commune, one not recensable, one with two photos.
 */
const COMMUNE_BY_PROJECT: Record<string, { code: string; nom: string; departement: string }> = {
  bureau: { code: "56121", nom: "Lorient", departement: "56" },
  "sans-javascript": { code: "68269", nom: "Ribeauvillé", departement: "68" },
  "telephone-360": { code: "46309", nom: "Souillac", departement: "46" },
};

const GPS_EXIF = {
  IFD0: { Make: "Téléphone de test", Model: "Recensement" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 0/1" },
};

async function photoFiles(dir: string): Promise<{ jpeg: string; png: string }> {
  const noise = (width: number, height: number) => {
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) % 251;
    return sharp(pixels, { raw: { width, height, channels: 3 } });
  };
  const jpeg = path.join(dir, "retable-face.jpg");
  const png = path.join(dir, "retable-detail.png");
  await noise(1600, 1200).withExif(GPS_EXIF).jpeg({ quality: 85 }).toFile(jpeg);
  await noise(900, 700).withExif(GPS_EXIF).png().toFile(png);
  // The fixtures themselves carry GPS: the test proves the server removed it.
  expect((await sharp(jpeg).metadata()).exif).toBeDefined();
  return { jpeg, png };
}

/**
 * Axe runs on every kind of page the journey visits: the first time each step, confirmation or page
 * template appears (the four objets reuse the same templates; axe without JavaScript costs a second browser context).
 */
const checked = new Set<string>();
async function axeOnce(page: Page, kind: string): Promise<void> {
  if (checked.has(kind)) return;
  checked.add(kind);
  await expectNoAxeViolations(page);
}

/** Picks a radio answer as a person does, by its label (the DSFR radio itself is drawn by the label), then checks it took. */
async function choose(page: Page, label: string | RegExp): Promise<void> {
  await page.locator("label", { hasText: label }).click();
  await expect(page.getByLabel(label)).toBeChecked();
}

const next = (page: Page) => page.getByRole("button", { name: "Passer à l’étape suivante" }).click();

async function expectStep(page: Page, step: number, title: string): Promise<void> {
  await expect(page.locator(".fr-stepper__state")).toHaveText(`Étape ${step} sur 7`);
  await expect(page.locator(".fr-stepper__title")).toContainText(title);
  await axeOnce(page, `étape ${step}`);
}

async function validate(page: Page): Promise<void> {
  await expectStep(page, 7, "Récapitulatif");
  await page.getByRole("button", { name: "Valider le recensement de cet objet" }).click();
  await expect(page.locator("h1")).toHaveText("Votre recensement a bien été enregistré");
  await axeOnce(page, "recensement enregistré");
}

/** From the "recensement enregistré" page or the list: opens the questionnaire of the first objet still to recense. */
async function recenseNext(page: Page): Promise<void> {
  await page
    .getByRole("button", { name: /^Recenser/ })
    .first()
    .click();
  await expectStep(page, 1, "Localisation");
}

test.describe("recensement par une commune", () => {
  test.describe.configure({ timeout: 480_000 });

  test("une commune recense tous ses objets et envoie son dossier", async ({ page }, testInfo) => {
    checked.clear();
    const commune = COMMUNE_BY_PROJECT[testInfo.project.name] ?? COMMUNE_BY_PROJECT.bureau!;
    const dataDir = process.env.CO_E2E_DATA_DIR!;
    const photosDir = testInfo.outputPath("photos");
    fs.mkdirSync(photosDir, { recursive: true });
    const files = await photoFiles(photosDir);
    const filesBefore = new Set(listFiles(path.join(dataDir, "files")));

    await signInCommune(page, commune);
    await expect(page).toHaveURL(new RegExp(`/communes/${commune.code}/premiere-visite$`));
    await expect(page.locator("h1")).toHaveText("Recensez vos objets en 3 étapes");
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: `Recenser les objets de ${commune.nom}` }).click();
    await expect(page.locator("h1")).toHaveText("4 objets protégés à recenser");
    await expectNoAxeViolations(page);

    // 1. Absent: confirmation, then straight to the comments.
    await recenseNext(page);
    await choose(page, "Non, je ne sais pas où est l’objet");
    await next(page);
    await expect(page.getByRole("heading", { name: "Je confirme ne pas trouver l’objet" })).toBeVisible();
    await axeOnce(page, "confirmation");
    await page.getByRole("button", { name: "Confirmer et continuer" }).click();
    await expectStep(page, 6, "Commentaires");
    await page.getByLabel(/Avez-vous des commentaires/).fill("Plus vu depuis les travaux de 2019.");
    await next(page);
    await expect(page.locator("main")).toContainText("Non, l’objet est introuvable");
    await validate(page);

    // 2. Moved to another commune: a wrong INSEE code first, then the right one.
    await recenseNext(page);
    await choose(page, "Oui, mais l’objet se trouve dans une autre commune");
    await next(page);
    await expectStep(page, 2, "Précisions sur la localisation");
    await page.getByLabel(/code INSEE de la commune/).fill("123");
    await page.getByLabel("Dans quel édifice se trouve l’objet ?").fill("Musée départemental");
    await next(page);
    await expect(page.locator(".fr-alert--error")).toContainText("Le code INSEE doit être composé de 5 caractères");
    await expect(page.getByLabel(/code INSEE de la commune/)).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);
    await page.getByLabel(/code INSEE de la commune/).fill("46042");
    await next(page);
    await expectStep(page, 6, "Commentaires");
    await page.getByRole("link", { name: "Revenir à l’étape précédente" }).click();
    await expectStep(page, 2, "Précisions sur la localisation");
    await next(page);
    await next(page);
    await validate(page);

    // 3. Not recensable: confirmation, then the comments.
    await recenseNext(page);
    await choose(page, /Oui, l’objet se trouve dans l’édifice indiqué initialement/);
    await next(page);
    await expectStep(page, 3, "Accessibilité");
    await choose(page, "L’objet n’est pas recensable");
    await next(page);
    await page.getByRole("button", { name: "Confirmer et continuer" }).click();
    await expectStep(page, 6, "Commentaires");
    await next(page);
    await validate(page);

    // 4. Recensable, with two photos (a JPEG and a PNG, both carrying GPS coordinates).
    await recenseNext(page);
    await choose(page, /Oui, l’objet se trouve dans l’édifice indiqué initialement/);
    await next(page);
    await choose(page, "L’objet est recensable");
    await next(page);
    await expectStep(page, 4, "Photos de l’objet");
    if (testInfo.project.name === "telephone-360") {
      await page.screenshot({ path: testInfo.outputPath("etape-photos-360px.png"), fullPage: true });
      await testInfo.attach("étape photos à 360 px", { path: testInfo.outputPath("etape-photos-360px.png"), contentType: "image/png" });
    }
    await page.getByLabel("Ajouter des photos").setInputFiles([files.jpeg, files.png]);
    if (testInfo.project.use.javaScriptEnabled === false) {
      await page.getByRole("button", { name: "Envoyer les photos" }).click();
    }
    await expect(page.locator("[data-photos-recensement] img")).toHaveCount(2);
    await expectNoAxeViolations(page);
    await next(page);
    await expectStep(page, 5, "État de l’objet");
    await choose(page, "L’objet est en mauvais état");
    await choose(page, "L’objet est facile à voler");
    await next(page);
    await next(page);
    await expect(page.locator(".co-photo-strip img")).toHaveCount(2);
    await validate(page);
    await expect(page.locator("main")).toContainText(`Vous avez recensé tous les objets de ${commune.nom} !`);

    // Every stored image is free of metadata (GPS included).
    const stored = listFiles(path.join(dataDir, "files")).filter((file) => !filesBefore.has(file));
    expect(stored.length).toBeGreaterThanOrEqual(6);
    for (const file of stored) {
      const metadata = await sharp(file).metadata();
      expect(metadata.exif, file).toBeUndefined();
      expect(fs.readFileSync(file).includes(Buffer.from("GPS")), file).toBe(false);
    }

    // Sending the dossier.
    await page.getByRole("link", { name: "Finaliser le recensement" }).click();
    await expect(page.locator("h1")).toContainText(`Finalisation du recensement de ${commune.nom}`);
    await expectNoAxeViolations(page);
    await page.getByLabel(/Vos commentaires à destination des conservateurs/).fill("Merci de votre aide.");
    await page.getByLabel(/Coordonnées de la personne ayant effectué le recensement/).fill("Claire Martin, secrétaire de mairie");
    await page.getByRole("button", { name: "Je valide le recensement des objets de ma commune" }).click();
    await expect(page.locator("main")).toContainText("Le recensement de votre commune est terminé !");
    await expect(page.locator("main")).toContainText("Le recensement de vos objets est terminé, merci !");
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Voir les données envoyées" }).click();
    await expect(page.locator("main")).toContainText("Claire Martin, secrétaire de mairie");
    await expectNoAxeViolations(page);
  });
});

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((entry) => (entry.isFile() ? [path.join(entry.parentPath, entry.name)] : []));
}

test("sans JavaScript sur un téléphone, les pages tiennent dans 360 px de large", async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== "bureau", "un seul projet suffit : le contexte est créé ici");
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  // Scripts blocked rather than JavaScript disabled, so the width can still be measured from the page.
  await context.route("**/*.js", (route) => route.abort());
  const page = await context.newPage();
  for (const url of ["/", "/communes/connexion", "/comment-ca-marche"]) {
    await page.goto(url);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(360);
  }
  await context.close();
});
