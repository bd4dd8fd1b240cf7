import os from "node:os";
import { scenarios } from "./scenarios/index.ts";

/** Child-process entry of bench/measure.ts: `worker.ts <scenario>:<step> <json args>` prints one JSON line. */
const [qualified = "", json = "{}"] = process.argv.slice(2);
const [scenarioName, stepName = ""] = qualified.split(":");
const step = scenarios.find((s) => s.name === scenarioName)?.steps[stepName];
if (!step) {
  process.stderr.write(`Étape de benchmark inconnue : ${qualified}\n`);
  process.exit(2);
}
const loadAverage = os.loadavg()[0] ?? 0;
const measured = await step(JSON.parse(json) as Record<string, unknown>);
process.stdout.write(`${JSON.stringify({ ...measured, peakRssMb: process.resourceUsage().maxRSS / 1024, loadAverage })}\n`);
process.exit(0);
