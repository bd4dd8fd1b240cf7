import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { redactUrl } from "./server.ts";
import { sessionKey } from "./session.ts";

describe("session key", () => {
  it("is derived from SESSION_SECRET, the same in every process", () => {
    const config = { sessionSecret: "s".repeat(40), env: "production" as const, databaseUrl: "postgres://x", dataDir: "/nonexistent" };
    expect(sessionKey(config).equals(sessionKey(config))).toBe(true);
    expect(sessionKey(config)).toHaveLength(32);
    expect(sessionKey({ ...config, sessionSecret: "t".repeat(40) }).equals(sessionKey(config))).toBe(false);
  });

  it("is kept in the data folder (owner-only) on the embedded development database", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-key-"));
    try {
      const config = { sessionSecret: undefined, env: "development" as const, databaseUrl: undefined, dataDir };
      const first = sessionKey(config);
      expect(sessionKey(config).equals(first)).toBe(true);
      expect(fs.statSync(path.join(dataDir, "session.key")).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("is random per process elsewhere, and never written to disk in tests", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "co-key-"));
    try {
      const config = { sessionSecret: undefined, env: "test" as const, databaseUrl: undefined, dataDir };
      expect(sessionKey(config).equals(sessionKey(config))).toBe(false);
      expect(fs.existsSync(path.join(dataDir, "session.key"))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("request logs", () => {
  it("never contain login codes, password tokens or CSRF tokens", () => {
    expect(redactUrl("/communes/connexion/code?code_insee=01053&code=123456")).toBe(
      "/communes/connexion/code?code_insee=01053&code=[redacted]",
    );
    expect(redactUrl("/conservateurs/password/edit?token=abc-DEF_1")).toBe("/conservateurs/password/edit?token=[redacted]");
    expect(redactUrl("/upload?_csrf=xyz&x=1")).toBe("/upload?_csrf=[redacted]&x=1");
    expect(redactUrl("/desinscription?jeton=abc_DEF")).toBe("/desinscription?jeton=[redacted]");
    expect(redactUrl("/communes/connexion?code_insee=01053")).toBe("/communes/connexion?code_insee=01053");
  });
});
