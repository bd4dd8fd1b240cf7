import { AxeBuilder } from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { DEMO_ADMIN_EMAIL, DEMO_CONSERVATEUR_EMAIL, DEMO_PASSWORD, demoCommuneEmail } from "../src/seed/demo-data.ts";

/**
 * Pages run offline: requests leaving the test server (Mémoire photos, external links' assets) are aborted
 * at once rather than left to time out.
 */
export const test = base.extend({
  context: async ({ context, baseURL }, use) => {
    const origin = new URL(baseURL ?? "http://127.0.0.1").origin;
    await context.route(
      (url) => url.origin !== origin,
      (route) => route.abort("blockedbyclient"),
    );
    await use(context);
  },
});

export { expect };

/**
 * RGAA is checked through the WCAG 2.1 A and AA rules of axe. Axe needs timers, which do not run when
 * JavaScript is disabled: the page is then checked in a second context that loads it with every script blocked.
 */
/** `iframes: false` for pages framing a sandboxed document without scripts (mail previews), where axe cannot run. */
export async function expectNoAxeViolations(page: Page, options: { iframes?: boolean } = {}): Promise<void> {
  if (test.info().project.use.javaScriptEnabled === false) {
    const browser = page.context().browser();
    if (!browser) throw new Error("navigateur introuvable");
    const context = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
    try {
      await context.route("**/*", (route) =>
        route.request().resourceType() === "script" || new URL(route.request().url()).origin !== new URL(page.url()).origin
          ? route.abort()
          : route.continue(),
      );
      const sansScript = await context.newPage();
      await sansScript.goto(page.url());
      await expectNoViolations(sansScript, options);
    } finally {
      await context.close();
    }
    return;
  }
  await expectNoViolations(page, options);
}

async function expectNoViolations(page: Page, options: { iframes?: boolean }): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  // Legacy mode runs axe in the page only: the default one injects it into every frame and waits forever on a script-less sandbox.
  if (options.iframes === false) builder.options({ iframes: false }).setLegacyMode(true);
  const results = await builder.analyze();
  const violations = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

/** Text version of the newest mail to `to` whose subject matches, from the development mail viewer. */
export async function readMail(page: Page, to: string, subject: RegExp): Promise<string> {
  await page.goto("/dev/mails");
  await page.locator("tr", { hasText: to }).filter({ hasText: subject }).first().getByRole("link").click();
  return (await page.locator("pre.co-mail-text").textContent()) ?? "";
}

/** Signs in as the demo conservateur (all demo départements). */
export async function signInConservateur(page: Page): Promise<void> {
  await page.goto("/conservateurs/sign_in");
  await page.getByLabel("Email").fill(DEMO_CONSERVATEUR_EMAIL);
  await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.locator("main")).toContainText("Vous êtes connecté•e.");
}

/** Signs in to the back office as the demo admin. */
export async function signInAdmin(page: Page): Promise<void> {
  await page.goto("/admin/connexion");
  await page.getByLabel("Email").fill(DEMO_ADMIN_EMAIL);
  await page.getByLabel("Mot de passe", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).not.toHaveURL(/\/admin\/connexion/);
}

/** Signs in as a demo commune with the code it receives by mail. */
export async function signInCommune(page: Page, commune: { code: string; departement: string }): Promise<void> {
  await page.goto(`/communes/connexion?departement=${commune.departement}&code_insee=${commune.code}`);
  await page.getByRole("button", { name: "Recevoir un code de connexion" }).click();
  const text = await readMail(page, demoCommuneEmail(commune.code), /Code de connexion Collectif Objets/);
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  expect(code).toBeTruthy();
  await page.goto(`/communes/connexion/code?code_insee=${commune.code}`);
  await page.getByLabel("Code de connexion").fill(code!);
  await page.getByRole("button", { name: "Connexion", exact: true }).click();
}
