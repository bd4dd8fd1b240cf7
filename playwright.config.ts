import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices, type LaunchOptions } from "@playwright/test";

// Workers re-read this file: the port and data folder chosen by the main process reach them through the environment.
process.env.CO_E2E_PORT ??= freePort();
process.env.CO_E2E_DATA_DIR ??= freshDataDir();
const port = Number(process.env.CO_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

/** A port nobody listens on now, so that runs in parallel working trees do not collide. */
function freePort(): string {
  const script =
    "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}

/** A fresh embedded database, so the server seeds the demo data on start. */
function freshDataDir(): string {
  const dir = path.resolve(`tmp/e2e-${Date.now()}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

// No browser download is possible here: the Debian `chromium` package is used.
const launchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  globalTeardown: "./e2e/global-teardown.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { baseURL, launchOptions, locale: "fr-FR", timezoneId: "Europe/Paris", trace: "retain-on-failure" },
  projects: [
    { name: "bureau", use: { ...devices["Desktop Chrome"], launchOptions } },
    { name: "sans-javascript", use: { ...devices["Desktop Chrome"], launchOptions, javaScriptEnabled: false } },
    {
      name: "telephone-360",
      use: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, launchOptions },
    },
  ],
  webServer: {
    command: "node --import tsx src/main.ts",
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    // First start creates the embedded database, migrates it and seeds the demo data.
    timeout: 240_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: baseURL,
      DATA_DIR: process.env.CO_E2E_DATA_DIR,
      DATABASE_URL: "",
      SMTP_URL: "",
      // Every scenario signs in from 127.0.0.1 with the same demo accounts: the login limits are raised for this run only.
      LOGIN_RATE_LIMIT_SCALE: "10",
      LOG_LEVEL: "warn",
    },
  },
});
