import { describe, expect, it } from "vitest";
import { cached, cachedStale } from "./cache.ts";

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

describe("cachedStale", () => {
  it("waits only for the first value, then serves the kept one while a single reload runs", async () => {
    let clock = 0;
    let loads = 0;
    let release: (() => void) | undefined;
    const get = cachedStale(
      60_000,
      () =>
        new Promise<number>((resolve) => {
          loads += 1;
          const value = loads;
          if (value === 1) resolve(value);
          else release = () => resolve(value);
        }),
      { now: () => clock },
    );
    expect(await get()).toBe(1);
    clock = 59_999;
    expect(await get()).toBe(1);
    expect(loads).toBe(1);
    clock = 60_000;
    // Expired: the old figures come back at once, and one reload (not three) starts.
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(loads).toBe(2);
    release?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await get()).toBe(2);
  });

  it("keeps the old value when a reload fails, and tries again on the next call", async () => {
    let clock = 0;
    let loads = 0;
    const errors: unknown[] = [];
    const get = cachedStale(
      1000,
      async () => {
        loads += 1;
        if (loads === 2) throw new Error("base indisponible");
        return loads;
      },
      { now: () => clock, onError: (error) => errors.push(error) },
    );
    expect(await get()).toBe(1);
    clock = 1000;
    expect(await get()).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(await get()).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await get()).toBe(3);
  });

  it("lets the first caller see the failure of the first load, and the next one load again", async () => {
    let loads = 0;
    const get = cachedStale(1000, async () => {
      loads += 1;
      if (loads === 1) throw new Error("base indisponible");
      return loads;
    });
    await expect(get()).rejects.toThrow("base indisponible");
    expect(await get()).toBe(2);
  });
});
