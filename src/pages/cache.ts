/**
 * Keeps one computed value for at most `ttlMs` in this process. Safe with several web processes: each one
 * only serves figures at most `ttlMs` old, nothing else depends on it. Concurrent callers share one load;
 * a failed load is not kept.
 */
export function cached<T>(ttlMs: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let entry: { value: Promise<T>; expiresAt: number } | undefined;
  return () => {
    if (entry && entry.expiresAt > now()) return entry.value;
    const value = load();
    const current = { value, expiresAt: now() + ttlMs };
    entry = current;
    value.catch(() => {
      if (entry === current) entry = undefined;
    });
    return value;
  };
}

/**
 * Like `cached`, but once a value exists no caller waits for the next one: past `ttlMs` the kept value is
 * served while one reload runs in the background (stale-while-revalidate). Only the very first call waits.
 * A failed reload keeps the old value, reported to `onError`, and is tried again by the next call.
 * For figures whose computation is far longer than a page (the analysis reads every objet): no reader pays it.
 */
export function cachedStale<T>(
  ttlMs: number,
  load: () => Promise<T>,
  options: { now?: () => number; onError?: (error: unknown) => void } = {},
): () => Promise<T> {
  const now = options.now ?? Date.now;
  let kept: { value: T; loadedAt: number } | undefined;
  let loading: Promise<T> | undefined;
  const reload = (): Promise<T> => {
    if (!loading) {
      const startedAt = now();
      loading = load()
        .then((value) => {
          kept = { value, loadedAt: startedAt };
          return value;
        })
        .finally(() => {
          loading = undefined;
        });
    }
    return loading;
  };
  return () => {
    if (!kept) return reload();
    if (now() - kept.loadedAt >= ttlMs) reload().catch((error: unknown) => options.onError?.(error));
    return Promise.resolve(kept.value);
  };
}
