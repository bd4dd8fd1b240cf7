import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export type DecodedImage = { width: number; height: number; data: Buffer };

export class HeicPixelLimitError extends Error {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super(`HEIC image of ${width}×${height} pixels exceeds the limit`);
  }
}

const HEIC_DECODE_PATH = createRequire(import.meta.url).resolve("heic-decode");
const TIMEOUT_MS = 60_000;

/*
 * heic-decode (libheif compiled to WebAssembly) decodes synchronously: run on the web process's main
 * thread, a 12-megapixel photo would freeze every other request for about a second. Each decode gets a
 * short-lived worker thread, which also gives the WebAssembly memory back to the system when it ends.
 * The size is checked before any pixel is decoded.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const decode = require(workerData.modulePath);
(async () => {
  const images = await decode.all({ buffer: workerData.buffer });
  try {
    const image = images[0];
    if (image.width * image.height > workerData.maxPixels) {
      parentPort.postMessage({ tooManyPixels: true, width: image.width, height: image.height });
      return;
    }
    const { width, height, data } = await image.decode();
    parentPort.postMessage({ width, height, data }, [data.buffer]);
  } finally {
    images.dispose();
  }
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

type WorkerAnswer =
  { width: number; height: number; data: Uint8ClampedArray } | { tooManyPixels: true; width: number; height: number } | { error: string };

/** Decodes the primary image of a HEIC/HEIF file to RGBA pixels, with its rotation and mirroring applied. */
export async function decodeHeic(buffer: Buffer, maxPixels: number): Promise<DecodedImage> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { modulePath: HEIC_DECODE_PATH, buffer, maxPixels },
  });
  try {
    const answer = await new Promise<WorkerAnswer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("HEIC decoding timed out")), TIMEOUT_MS);
      worker.once("message", (message: WorkerAnswer) => {
        clearTimeout(timer);
        resolve(message);
      });
      worker.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      worker.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`HEIC decoder stopped (exit code ${code})`));
      });
    });
    if ("error" in answer) throw new Error(`HEIC decoding failed: ${answer.error}`);
    if ("tooManyPixels" in answer) throw new HeicPixelLimitError(answer.width, answer.height);
    return {
      width: answer.width,
      height: answer.height,
      data: Buffer.from(answer.data.buffer, answer.data.byteOffset, answer.data.byteLength),
    };
  } finally {
    await worker.terminate();
  }
}
