import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import sharp, { type JpegOptions, type Sharp, type SharpOptions } from "sharp";
import { detectImageFormat, type ImageFormat } from "./formats.ts";
import { decodeHeic, HeicPixelLimitError } from "./heic.ts";

export const PHOTO_LIMITS = {
  /** Bytes of one uploaded file. */
  maxBytes: 20 * 1024 * 1024,
  /** Pixels of the decoded image: a small file can expand to gigabytes (decompression bomb). */
  maxPixels: 50_000_000,
} as const;

/** Longest side of each stored variant, in pixels (never enlarged). */
export const VARIANT_SIZES = { original: 4000, display: 1600, thumbnail: 400 } as const;
/**
 * Encoder settings of each variant. The two large ones skip Huffman optimisation: it keeps every DCT
 * coefficient in memory (~80 MB for 12 megapixels, ~30 MB at 1600 px), memory that glibc then keeps in
 * each libuv thread's arena, and it doubles the encoding time, for files 10–20 % smaller.
 */
export const JPEG_OPTIONS: Record<ImageVariant, JpegOptions> = {
  original: { quality: 88, optimiseCoding: false },
  display: { quality: 82, optimiseCoding: false },
  thumbnail: { quality: 75 },
};

export type ImageVariant = keyof typeof VARIANT_SIZES;
export const IMAGE_VARIANTS: readonly ImageVariant[] = ["original", "display", "thumbnail"];

export type PhotoErrorCode = "not_an_image" | "corrupt" | "too_large" | "too_many_pixels";

export const PHOTO_ERROR_MESSAGES: Record<PhotoErrorCode, string> = {
  not_an_image: "Ce fichier n’est pas une image : envoyez une photo au format JPEG, PNG, WebP ou HEIC.",
  corrupt: "Cette photo semble incomplète ou abîmée : l’envoi a peut-être été interrompu. Reprenez la photo ou envoyez-la à nouveau.",
  too_large: "Cette photo est trop lourde (20 Mo au plus) : réduisez sa taille ou sa qualité avant de l’envoyer.",
  too_many_pixels: "Cette photo a trop de pixels (50 millions au plus) : réduisez ses dimensions avant de l’envoyer.",
};

/** A photo refused, with the French message to show as it is. */
export class PhotoError extends Error {
  constructor(readonly code: PhotoErrorCode) {
    super(PHOTO_ERROR_MESSAGES[code]);
    this.name = "PhotoError";
  }
}

export type EncodedVariant = { data: Buffer; width: number; height: number };

export type ProcessedPhoto = {
  /** Format of the file received. */
  sourceFormat: ImageFormat;
  /** Every variant is a baseline JPEG in sRGB, upright, with no metadata at all (EXIF, GPS, XMP, ICC). */
  contentType: "image/jpeg";
  /** Size of the normalised original. */
  width: number;
  height: number;
  /** SHA-256 of the normalised original (spots the same photo attached twice). */
  sha256: string;
  variants: Record<ImageVariant, EncodedVariant>;
};

/** sharp's family name of each accepted format, to check that its decoder agrees with the magic bytes. */
const SHARP_FORMATS: Record<ImageFormat, string> = { jpeg: "jpeg", png: "png", webp: "webp", heic: "heif", avif: "heif" };

/*
 * sharp runs each encode on one libuv thread here (glibc without jemalloc), and glibc's allocator then
 * keeps, in that thread's arena, the memory of the largest image it handled. One encode at a time per
 * photo and one photo per core keep every core busy while bounding that memory: with 4 uploads at
 * once, the web process stays under 400 MB (bench/results.md, scenario photos).
 */
const slots = new (class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
})(Math.max(1, os.availableParallelism()));

/** The uploaded bytes, or the temporary file they were streamed to (uploads waiting their turn then hold no memory). */
export type PhotoInput = Buffer | { file: string };

/** Called with each variant as soon as it is encoded, to store it while the next ones are computed. */
export type VariantSink = (variant: ImageVariant, encoded: EncodedVariant) => Promise<void>;

/**
 * Checks and normalises an uploaded photo: format by content, size and pixel limits, complete data;
 * then EXIF orientation applied, transparency flattened on white, converted to sRGB, every metadata
 * removed, and encoded as the three JPEG variants. Throws PhotoError with the message for the person.
 * With a sink, resolves once the sink has settled for every variant.
 */
export async function processPhoto(input: PhotoInput, sink?: VariantSink): Promise<ProcessedPhoto> {
  const { size, head } = Buffer.isBuffer(input) ? { size: input.length, head: input } : await fileStart(input.file);
  if (size > PHOTO_LIMITS.maxBytes) throw new PhotoError("too_large");
  const format = detectImageFormat(head);
  if (!format) throw new PhotoError("not_an_image");
  const writes: Promise<void>[] = [];
  const emit = (variant: ImageVariant, encoded: EncodedVariant): EncodedVariant => {
    if (sink) {
      const write = sink(variant, encoded);
      // Awaited below; until then a failed write must not count as an unhandled rejection.
      write.catch(() => undefined);
      writes.push(write);
    }
    return encoded;
  };
  try {
    // Only the encoding holds a slot: the sink's writes (fsync) do not keep a core idle.
    const photo = await slots.run(async (): Promise<ProcessedPhoto> => {
      const source = await decodable(Buffer.isBuffer(input) ? input : input.file, format);
      const original = emit("original", await encode(sharp(source.input, source.options), "original", source.longSide));
      // The smaller variants come from the normalised original (already upright, and a JPEG shrinks on
      // load), one after the other: each photo runs one libvips encode at a time (see `slots`).
      const longSide = Math.max(original.width, original.height);
      const smaller = (async () => {
        const display = emit("display", await encode(sharp(original.data, DECODE_OPTIONS), "display", longSide));
        const thumbnail = emit("thumbnail", await encode(sharp(original.data, DECODE_OPTIONS), "thumbnail", longSide));
        return [display, thumbnail] as const;
      })();
      // Hashed on this thread while libvips encodes the smaller variants on its own.
      const sha256 = crypto.createHash("sha256").update(original.data).digest("hex");
      const [display, thumbnail] = await smaller;
      return {
        sourceFormat: format,
        contentType: "image/jpeg",
        width: original.width,
        height: original.height,
        sha256,
        variants: { original, display, thumbnail },
      };
    });
    await Promise.all(writes);
    return photo;
  } catch (error) {
    // Every write has settled before the caller cleans up after the failure.
    await Promise.allSettled(writes);
    throw error;
  }
}

/** Size and first bytes of a file: enough to recognise its format. */
async function fileStart(file: string): Promise<{ size: number; head: Buffer }> {
  const handle = await fs.open(file, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    return { size, head };
  } finally {
    await handle.close();
  }
}

/** `failOn: "error"` refuses truncated and corrupt data rather than storing a half-grey photo. */
const DECODE_OPTIONS: SharpOptions = { failOn: "error", limitInputPixels: PHOTO_LIMITS.maxPixels };

/** What sharp should decode: the file itself, or for HEVC-coded HEIC (which sharp cannot decode) its raw pixels. */
async function decodable(
  input: Buffer | string,
  format: ImageFormat,
): Promise<{ input: Buffer | string; options: SharpOptions; longSide: number }> {
  const metadata = await sharp(input, { ...DECODE_OPTIONS, limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new PhotoError("corrupt");
    });
  if (metadata.format !== SHARP_FORMATS[format]) throw new PhotoError("not_an_image");
  if (!metadata.width || !metadata.height) throw new PhotoError("corrupt");
  if (metadata.width * metadata.height > PHOTO_LIMITS.maxPixels) throw new PhotoError("too_many_pixels");
  const longSide = Math.max(metadata.width, metadata.height);
  if (format !== "heic") return { input, options: DECODE_OPTIONS, longSide };
  try {
    const decoded = await decodeHeic(Buffer.isBuffer(input) ? input : await fs.readFile(input), PHOTO_LIMITS.maxPixels);
    return {
      input: decoded.data,
      options: { ...DECODE_OPTIONS, raw: { width: decoded.width, height: decoded.height, channels: 4 } },
      longSide: Math.max(decoded.width, decoded.height),
    };
  } catch (error) {
    if (error instanceof HeicPixelLimitError) throw new PhotoError("too_many_pixels");
    throw new PhotoError("corrupt");
  }
}

/** `sourceLongSide`: a resize that would change nothing still costs a pass over the pixels, so it is skipped. */
async function encode(image: Sharp, variant: ImageVariant, sourceLongSide: number): Promise<EncodedVariant> {
  const size = VARIANT_SIZES[variant];
  try {
    if (sourceLongSide > size) image.resize({ width: size, height: size, fit: "inside" });
    const { data, info } = await image
      .autoOrient()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .jpeg(JPEG_OPTIONS[variant])
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw new PhotoError("too_many_pixels");
    throw new PhotoError("corrupt");
  }
}
