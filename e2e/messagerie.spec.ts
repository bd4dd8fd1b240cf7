import type { Browser, Page } from "@playwright/test";
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { DEMO_CONSERVATEUR_EMAIL, demoCommuneEmail } from "../src/seed/demo-data.ts";
import { expect, expectNoAxeViolations, readMail, signInCommune, signInConservateur, test } from "./fixtures.ts";

/**
 * Issue 7 in a browser, on Locmariaquer (56116) only: the conservateur writes with a PDF; the commune,
 * in a browser without JavaScript, sees the unread count, reads, downloads the PDF and answers with a
 * photo; the conservateur finds the thread unread in the inbox and reads the reply with its thumbnail.
 * One project runs it (the thread is shared by the whole run); the commune's side is the run without JavaScript.
 */
const LOCMARIAQUER = { code: "56116", nom: "Locmariaquer", departement: "56" };

async function pdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  doc.text("Devis de restauration de la statue");
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Axe on a page of the context without JavaScript: the same URL, with the same cookies, in a context
 * where axe can run but every page script is blocked.
 */
async function axeSansJavaScript(browser: Browser, page: Page): Promise<void> {
  const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    await context.addCookies(await page.context().cookies());
    await context.route("**/*", (route) =>
      route.request().resourceType() === "script" || new URL(route.request().url()).origin !== new URL(page.url()).origin
        ? route.abort()
        : route.continue(),
    );
    const copie = await context.newPage();
    await copie.goto(page.url());
    await expectNoAxeViolations(copie);
  } finally {
    await context.close();
  }
}

function navMessagerie(page: Page) {
  return page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: /^Messagerie/ });
}

test("un conservateur écrit à Locmariaquer avec un PDF, la commune répond avec une photo, chacun est notifié", async ({
  page,
  browser,
}, testInfo) => {
  test.skip(
    testInfo.project.name !== "bureau",
    "une seule conversation avec Locmariaquer par exécution (la commune y est sans JavaScript)",
  );
  test.setTimeout(180_000);
  const texteConservateur = `Bonjour, voici le devis pour la statue (${Date.now()}).\nPouvez-vous le transmettre au maire ?`;
  const texteCommune = "Bonjour, c’est transmis. Voici une photo de la statue aujourd’hui.";

  // The conservateur writes, with a PDF.
  await signInConservateur(page);
  await page.goto(`/conservateurs/communes/${LOCMARIAQUER.code}/messagerie`);
  await expect(page.locator("main h2").first()).toContainText("Messagerie avec la commune");
  await expect(page.locator("main")).toContainText(`mairie-${LOCMARIAQUER.code}-conservateur-`);
  await expectNoAxeViolations(page);
  await page.getByLabel(/Votre message/).fill(texteConservateur);
  await page
    .getByLabel(/Ajouter des photos ou des fichiers/)
    .setInputFiles({ name: "devis.pdf", mimeType: "application/pdf", buffer: await pdf() });
  await page.getByRole("button", { name: "Envoyer" }).click();
  await expect(page.locator("main")).toContainText("Votre message a été envoyé.");
  await expect(page.locator(".msg-message").last()).toContainText("Pouvez-vous le transmettre au maire ?");
  await expect(page.locator(".msg-message").last()).toContainText("Vous");
  await expectNoAxeViolations(page);

  // The commune, without JavaScript: unread count, reading, download, answer with a photo.
  const communeContext = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR", timezoneId: "Europe/Paris" });
  const commune = await communeContext.newPage();
  try {
    await signInCommune(commune, LOCMARIAQUER);
    await commune.goto(`/communes/${LOCMARIAQUER.code}/objets`);
    await expect(navMessagerie(commune)).toHaveText("Messagerie (1 non lu)");
    await axeSansJavaScript(browser, commune);
    await navMessagerie(commune).click();
    await expect(commune.locator("h1")).toHaveText("Messagerie");
    await expect(navMessagerie(commune)).toHaveText("Messagerie");
    const recu = commune.locator(".msg-message").last();
    await expect(recu).toContainText("(Conservateur)");
    await expect(recu).toContainText("Pouvez-vous le transmettre au maire ?");
    await axeSansJavaScript(browser, commune);
    const [download] = await Promise.all([commune.waitForEvent("download"), recu.getByRole("link", { name: "devis.pdf" }).click()]);
    expect(download.suggestedFilename()).toBe("devis.pdf");
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe("%PDF-");

    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#8a6d3b" } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: "N", GPSLatitude: "47/1 34/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "2/1 56/1 0/1" } })
      .toBuffer();
    await commune.getByLabel(/Votre message/).fill(texteCommune);
    await commune
      .getByLabel(/Ajouter des photos ou des fichiers/)
      .setInputFiles({ name: "statue.jpg", mimeType: "image/jpeg", buffer: photo });
    await commune.getByRole("button", { name: "Envoyer" }).click();
    await expect(commune.locator("main")).toContainText("Votre message a été envoyé.");
    await expect(commune.locator(".msg-message").last()).toContainText(texteCommune);
    await expect(commune.getByRole("img", { name: "Photo jointe : statue.jpg" })).toBeVisible();
    await axeSansJavaScript(browser, commune);
  } finally {
    await communeContext.close();
  }

  // The conservateur finds the thread unread in the inbox and reads the reply with its thumbnail.
  await page.goto("/conservateurs/messagerie");
  await expect(navMessagerie(page)).toHaveText(/^Messagerie \(\d+ non lus?\)$/);
  const ligne = page.locator("tr", { hasText: `${LOCMARIAQUER.nom} (${LOCMARIAQUER.code})` });
  await expect(ligne).toContainText("1 non lu");
  await expect(ligne).toContainText("c’est transmis");
  await expectNoAxeViolations(page);
  await ligne.getByRole("link", { name: `${LOCMARIAQUER.nom} (${LOCMARIAQUER.code})` }).click();
  const reponse = page.locator(".msg-message").last();
  await expect(reponse).toContainText(`${LOCMARIAQUER.nom} (Commune)`);
  await expect(reponse).toContainText(texteCommune);
  const vignette = reponse.getByRole("img", { name: "Photo jointe : statue.jpg" });
  await expect(vignette).toBeVisible();
  // Visible before it has finished loading: wait until the thumbnail is decoded.
  await expect.poll(() => vignette.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expectNoAxeViolations(page);
  await page.goto("/conservateurs/messagerie");
  await expect(page.locator("tr", { hasText: `${LOCMARIAQUER.nom} (${LOCMARIAQUER.code})` })).not.toContainText("non lu");

  // Both notifications, each answering to its own side's signed address.
  const mailCommune = await readMail(page, demoCommuneEmail(LOCMARIAQUER.code), /vous a envoyé un message sur Collectif Objets/);
  expect(mailCommune).toContain("Pouvez-vous le transmettre au maire ?");
  expect(mailCommune).toContain("Une pièce jointe accompagne ce message");
  expect(mailCommune).toContain(`/communes/${LOCMARIAQUER.code}/messagerie`);
  const metaCommune = (await page.locator("dl.co-mail-meta").textContent()) ?? "";
  expect(metaCommune).toMatch(new RegExp(`Répondre àmairie-${LOCMARIAQUER.code}-[a-z2-7]{24}@`));
  await expectNoAxeViolations(page, { iframes: false });

  const mailConservateur = await readMail(page, DEMO_CONSERVATEUR_EMAIL, new RegExp(`${LOCMARIAQUER.nom} vous a envoyé un message`));
  expect(mailConservateur).toContain("c’est transmis");
  expect(mailConservateur).toContain(`/conservateurs/communes/${LOCMARIAQUER.code}/messagerie`);
  const metaConservateur = (await page.locator("dl.co-mail-meta").textContent()) ?? "";
  expect(metaConservateur).toMatch(new RegExp(`Répondre àmairie-${LOCMARIAQUER.code}-conservateur-[a-z2-7]{24}@`));
  await expectNoAxeViolations(page, { iframes: false });
});
