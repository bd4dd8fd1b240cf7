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
