import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/database.ts";
import { startJobs, type Jobs } from "./boss.ts";

describe("pg-boss jobs on our database", () => {
  let database: TestDatabase;
  let jobs: Jobs | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await jobs?.stop();
    await database.drop();
  });

  it("delivers a sent job to its worker exactly once, and registers cron schedules", async () => {
    const received: unknown[] = [];
    let resolveDone: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    jobs = await startJobs(
      database,
      [
        {
          name: "demo-job",
          handler: async (data) => {
            received.push(data);
            resolveDone();
          },
        },
        { name: "nightly-job", cron: "0 3 * * *", handler: async () => {} },
      ],
      { work: true },
    );
    await jobs.send("demo-job", { commune: "01004" });
    await done;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(received).toEqual([{ commune: "01004" }]);
    const schedules = await jobs.boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain("nightly-job");
  });
});
