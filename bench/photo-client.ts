import fs from "node:fs";
import readline from "node:readline";

/**
 * The uploading browser of the photo scenario, in its own process so that the web process's CPU time
 * and peak RSS are its own. Driven line by line on stdin: `one <objet id>` sends one upload,
 * `parallel <id>,<id>,…` sends simultaneous uploads; each answer is the wall time in ms, on one line.
 */
type Args = { base: string; codeInsee: string; csrf: string; cookie: string; file: string };

const args = JSON.parse(process.argv[2] ?? "{}") as Args;
const photo = new Blob([new Uint8Array(fs.readFileSync(args.file))], { type: "image/jpeg" });

async function upload(objetId: string): Promise<void> {
  const form = new FormData();
  form.append("photos", photo, "IMG_0001.JPG");
  const response = await fetch(`${args.base}/communes/${args.codeInsee}/objets/${objetId}/recensement/photos?_csrf=${args.csrf}`, {
    method: "POST",
    body: form,
    headers: { cookie: args.cookie, accept: "application/json" },
  });
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  const [command, ids = ""] = line.trim().split(" ");
  const started = performance.now();
  if (command === "one") await upload(ids);
  else if (command === "parallel") await Promise.all(ids.split(",").map(upload));
  else break;
  process.stdout.write(`${performance.now() - started}\n`);
}
