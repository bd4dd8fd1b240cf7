import { execFile } from "node:child_process";
import path from "node:path";

export type Measurement<T> = { ms: number; cpuMs: number; peakRssMb: number; loadAverage: number; result: T };

export type Timed<T> = { ms: number; cpuMs: number; result: T };

/** Wall and CPU time of `work` in this process (the machine is shared: CPU time tells load from cost). */
export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

const WORKER = path.join(import.meta.dirname, "worker.ts");

/**
 * Runs one measured step in a fresh Node process, so that its peak RSS is its own (the parent holds the
 * generator's data and earlier steps' heaps) and every step starts from the same cold state.
 */
export async function measureInChild<T>(
  step: string,
  args: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measurement<T>> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", WORKER, step, JSON.stringify(args)],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => (error ? reject(new Error(`étape ${step} en échec : ${err || error.message}`)) : resolve(out)),
    );
  });
  const lastLine = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as Measurement<T>;
}
