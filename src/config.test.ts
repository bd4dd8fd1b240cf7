import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("configuration", () => {
  it("defaults to port 3000 and an embedded database in ./var", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve("var"));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe("http://localhost:3000");
  });

  it("treats empty variables as unset and validates values with a clear message", () => {
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ PORT: "quatre-vingt" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "quatre-vingt" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "pas une url" })).toThrow(/DATABASE_URL/);
  });

  it("requires a session secret in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) }).env).toBe("production");
  });

  it("raises the login rate limits only outside production", () => {
    expect(loadConfig({}).loginRateLimitScale).toBe(1);
    expect(loadConfig({ LOGIN_RATE_LIMIT_SCALE: "10" }).loginRateLimitScale).toBe(10);
    expect(() => loadConfig({ LOGIN_RATE_LIMIT_SCALE: "0" })).toThrow(/LOGIN_RATE_LIMIT_SCALE/);
    expect(() => loadConfig({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40), LOGIN_RATE_LIMIT_SCALE: "10" })).toThrow(
      /réservé aux tests/,
    );
  });
});
