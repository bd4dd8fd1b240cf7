import { describe, expect, it } from "vitest";
import { cached } from "./cache.ts";

describe("cached", () => {
  it("serves the same value until it expires, then loads again", async () => {
    let clock = 0;
    let loads = 0;
    const get = cached(
      60_000,
      async () => ++loads,
      () => clock,
    );
    expect(await get()).toBe(1);
    clock = 59_999;
    expect(await get()).toBe(1);
    clock = 60_000;
    expect(await get()).toBe(2);
  });

  it("shares one load between concurrent callers and forgets failures", async () => {
    let loads = 0;
    const get = cached(1000, async () => {
      loads += 1;
      if (loads === 1) throw new Error("base indisponible");
      return loads;
    });
    await expect(Promise.all([get(), get()])).rejects.toThrow("base indisponible");
    expect(loads).toBe(1);
    expect(await get()).toBe(2);
  });
});
