import { expect, expectNoAxeViolations, signInCommune, test } from "./fixtures.ts";

/** Each project recenses on its own small inactive demo commune, so that parallel runs never share a draft. */
const COMMUNE_BY_PROJECT: Record<string, { code: string; departement: string }> = {
  bureau: { code: "68226", departement: "68" },
  "sans-javascript": { code: "68004", departement: "68" },
  "telephone-360": { code: "68338", departement: "68" },
};

test.describe("guide de recensement", () => {
  test("la page du guide, son sommaire et son PDF", async ({ page }) => {
    await page.goto("/guide-de-recensement");
    await expect(page.locator("h1")).toHaveText("Guide de recensement des objets protégés");
    const sommaire = page.getByRole("navigation", { name: "Sommaire" });
    await expect(sommaire.getByRole("link")).toHaveCount(7);
    await sommaire.getByRole("link", { name: "Si l’objet est en péril" }).click();
    await expect(page).toHaveURL(/#objet-en-peril$/);
    await expect(page.getByRole("heading", { name: "Si l’objet est en péril" })).toBeInViewport();
    await expectNoAxeViolations(page);

    const lienPdf = page.getByRole("link", { name: /Télécharger le guide au format PDF/ });
    const href = await lienPdf.getAttribute("href");
    expect(href).toBe("/guide-de-recensement.pdf");
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    await page.goto("/pdf");
    await expect(page).toHaveURL(/\/guide-de-recensement$/);
  });

  test("l’aide de l’étape « état » du questionnaire, ouverte", async ({ page }, testInfo) => {
    const commune = COMMUNE_BY_PROJECT[testInfo.project.name] ?? COMMUNE_BY_PROJECT.bureau!;
    await signInCommune(page, commune);
    await page.goto(`/communes/${commune.code}/objets`);
    await page
      .getByRole("button", { name: /^Recenser/ })
      .first()
      .click();
    await expect(page.locator(".fr-stepper__state")).toHaveText("Étape 1 sur 7");
    await page.locator("label", { hasText: /Oui, l’objet se trouve dans l’édifice indiqué initialement/ }).click();
    await page.getByRole("button", { name: "Passer à l’étape suivante" }).click();
    await expect(page.locator(".fr-stepper__state")).toHaveText("Étape 3 sur 7");

    // Step 4: the photo tips, folded.
    await page.goto(page.url().replace(/\/etapes\/3$/, "/etapes/4"));
    await page.getByText("Conseils pour des photos utiles").click();
    await expect(page.getByText("Pas de flash sur les tableaux", { exact: false })).toBeVisible();
    await expectNoAxeViolations(page);

    // Step 5: a hint under each level, and the advice for this objet's type once opened.
    await page.goto(page.url().replace(/\/etapes\/4$/, "/etapes/5"));
    await expect(page.locator(".fr-stepper__state")).toHaveText("Étape 5 sur 7");
    await expect(page.getByText("Aucun dégât visible. L’objet est complet, propre et stable.")).toBeVisible();
    const aide = page.locator("details.guide-aide");
    await expect(aide.locator("h3")).toBeHidden();
    await aide.locator("summary").click();
    await expect(aide.locator("h3")).toBeVisible();
    await expect(aide.getByRole("link", { name: /Comment juger l’état d’un objet/ })).toHaveAttribute(
      "href",
      "/guide-de-recensement#etat-sanitaire",
    );
    await expectNoAxeViolations(page);
  });
});
