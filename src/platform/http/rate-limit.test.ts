import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { TooManyRequestsError, enforceRateLimits, hashedKeyPart, hitRateLimit } from "./rate-limit.ts";

describe("PostgreSQL-backed rate limits", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("count hits per key in a fixed window", async () => {
    const rule = { limit: 3, windowSeconds: 3600 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await hitRateLimit(database.db, "test:a", rule)).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect((await hitRateLimit(database.db, "test:b", rule)).allowed).toBe(true);
    const { retryAfterSeconds } = await hitRateLimit(database.db, "test:a", rule);
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it("start a new window when the previous one is over", async () => {
    const rule = { limit: 1, windowSeconds: 60 };
    await hitRateLimit(database.db, "test:c", rule);
    expect((await hitRateLimit(database.db, "test:c", rule)).allowed).toBe(false);
    await database.db
      .updateTable("rate_limits")
      .set({ window_start: new Date(Date.now() - 3600_000) })
      .where("key", "=", "test:c")
      .execute();
    expect((await hitRateLimit(database.db, "test:c", rule)).allowed).toBe(true);
  });

  it("are shared by concurrent hits (several web processes)", async () => {
    const rule = { limit: 10, windowSeconds: 3600 };
    const results = await Promise.all(Array.from({ length: 15 }, () => hitRateLimit(database.db, "test:d", rule)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("throw a French 429 when any key is over its limit", async () => {
    const rule = { limit: 1, windowSeconds: 3600 };
    await enforceRateLimits(database.db, [{ key: "test:e", rule }]);
    await expect(
      enforceRateLimits(database.db, [
        { key: "test:f", rule },
        { key: "test:e", rule },
      ]),
    ).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(enforceRateLimits(database.db, [{ key: "test:e", rule }])).rejects.toThrow("Trop de tentatives");
  });

  it("keep e-mail addresses out of the keys", () => {
    expect(hashedKeyPart(" Jeanne@Culture.gouv.fr ")).toBe(hashedKeyPart("jeanne@culture.gouv.fr"));
    expect(hashedKeyPart("jeanne@culture.gouv.fr")).not.toContain("jeanne");
  });
});
