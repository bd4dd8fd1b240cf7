import http from "node:http";
import zlib from "node:zlib";

/**
 * A small HTTP load client over node:http with keep-alive connections (no extra dependency, little
 * overhead of its own: on this 2-core machine the client shares the CPU with the server).
 */

export type HttpResponse = { status: number; location: string | undefined; body: string };

/** One person in a browser: one keep-alive connection, cookies kept between requests, the CSRF token of the last page read. */
function inflate(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === "br") return zlib.brotliDecompressSync(body);
  if (encoding === "gzip") return zlib.gunzipSync(body);
  return body;
}

export class BenchBrowser {
  private readonly cookies = new Map<string, string>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  csrf = "";

  constructor(
    private readonly baseUrl: URL,
    /** Cookies as sent in a Cookie header (already encoded). */
    cookies: Record<string, string> = {},
  ) {
    for (const [name, value] of Object.entries(cookies)) this.cookies.set(name, value);
  }

  get(path: string): Promise<HttpResponse> {
    return this.request("GET", path);
  }

  /** Posts an urlencoded form with the CSRF token of the last page read. */
  post(path: string, form: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request("POST", path, new URLSearchParams({ _csrf: this.csrf, ...form }).toString());
  }

  close(): void {
    this.agent.destroy();
  }

  private request(method: "GET" | "POST", path: string, body?: string): Promise<HttpResponse> {
    // Like a browser: compressed pages are accepted, and inflated before use.
    const headers: http.OutgoingHttpHeaders = {
      cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      "accept-encoding": "br, gzip",
    };
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const request = http.request(
        { host: this.baseUrl.hostname, port: this.baseUrl.port, path, method, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            this.remember(response.headers["set-cookie"] ?? []);
            const text = inflate(Buffer.concat(chunks), response.headers["content-encoding"]).toString("utf8");
            const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
            if (token) this.csrf = token;
            resolve({ status: response.statusCode ?? 0, location: response.headers.location, body: text });
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  private remember(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = "", ...attributes] = header.split(";");
      const at = pair.indexOf("=");
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = value === "" || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export type LatencySummary = {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  max: number;
  perSecond: number;
  /** First unexpected answers, to tell what went wrong. */
  errorSamples: string[];
};

/** Latencies of one kind of request during a measured phase. */
export class Recorder {
  private readonly samples = new Map<string, { ms: number[]; errors: number; errorSamples: string[] }>();

  /** Times `send`; the request counts as an error when `ok` refuses its response or it throws. */
  async time(label: string, send: () => Promise<HttpResponse>, ok: (response: HttpResponse) => boolean): Promise<HttpResponse | undefined> {
    const entry = this.entry(label);
    const started = performance.now();
    try {
      const response = await send();
      entry.ms.push(performance.now() - started);
      if (!ok(response)) this.error(entry, `HTTP ${response.status}${response.location ? ` → ${response.location}` : ""}`);
      return response;
    } catch (error) {
      entry.ms.push(performance.now() - started);
      this.error(entry, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  summary(label: string, seconds: number): LatencySummary {
    return this.summaryOf([label], seconds);
  }

  /** The requests of several labels together. */
  summaryOf(labels: readonly string[], seconds: number): LatencySummary {
    const entries = labels.map((label) => this.entry(label));
    const sorted = entries.flatMap((entry) => entry.ms).sort((a, b) => a - b);
    return {
      count: sorted.length,
      errors: entries.reduce((n, entry) => n + entry.errors, 0),
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      max: sorted.at(-1) ?? 0,
      perSecond: sorted.length / seconds,
      errorSamples: entries.flatMap((entry) => entry.errorSamples).slice(0, 5),
    };
  }

  private entry(label: string) {
    let entry = this.samples.get(label);
    if (!entry) {
      entry = { ms: [], errors: 0, errorSamples: [] };
      this.samples.set(label, entry);
    }
    return entry;
  }

  private error(entry: { errors: number; errorSamples: string[] }, what: string): void {
    entry.errors += 1;
    if (entry.errorSamples.length < 5) entry.errorSamples.push(what);
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

/** Runs every client's loop until the deadline (an iteration in flight finishes); returns the elapsed seconds. */
export async function runClients(count: number, seconds: number, iteration: (client: number, i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: count }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) await iteration(client, i);
    }),
  );
  return (performance.now() - started) / 1000;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
