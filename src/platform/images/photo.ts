import crypto from "node:crypto";
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
 * Encoder settings of each variant. The original skips Huffman optimisation: for 12 megapixels it would
 * keep every DCT coefficient in memory (~80 MB per photo, retained by the allocator of each of libuv's
 * threads) and double the encoding time, for a file only 10 % smaller.
 */
export const JPEG_OPTIONS: Record<ImageVariant, JpegOptions> = {
  original: { quality: 88, optimiseCoding: false },
  display: { quality: 82 },
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
 * Each photo holds its decoded pixels (about 36 MB for 12 megapixels) while it is processed, and sharp
 * runs one libvips thread per image on this platform: more photos at once than cores only adds memory.
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

/**
 * Checks and normalises an uploaded photo: format by content, size and pixel limits, complete data;
 * then EXIF orientation applied, transparency flattened on white, converted to sRGB, every metadata
 * removed, and encoded as the three JPEG variants. Throws PhotoError with the message for the person.
 */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  if (input.length > PHOTO_LIMITS.maxBytes) throw new PhotoError("too_large");
  const format = detectImageFormat(input);
  if (!format) throw new PhotoError("not_an_image");
  return slots.run(async () => {
    const source = await decodable(input, format);
    const original = await encode(sharp(source.input, source.options), "original");
    // The smaller variants come from the normalised original: already upright, and a JPEG shrinks on load.
    const [display, thumbnail] = await Promise.all([
      encode(sharp(original.data, DECODE_OPTIONS), "display"),
      encode(sharp(original.data, DECODE_OPTIONS), "thumbnail"),
    ]);
    return {
      sourceFormat: format,
      contentType: "image/jpeg",
      width: original.width,
      height: original.height,
      sha256: crypto.createHash("sha256").update(original.data).digest("hex"),
      variants: { original, display, thumbnail },
    };
  });
}

/** `failOn: "error"` refuses truncated and corrupt data rather than storing a half-grey photo. */
const DECODE_OPTIONS: SharpOptions = { failOn: "error", limitInputPixels: PHOTO_LIMITS.maxPixels };

/** What sharp should decode: the file itself, or for HEVC-coded HEIC (which sharp cannot decode) its raw pixels. */
async function decodable(input: Buffer, format: ImageFormat): Promise<{ input: Buffer; options: SharpOptions }> {
  const metadata = await sharp(input, { ...DECODE_OPTIONS, limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new PhotoError("corrupt");
    });
  if (metadata.format !== SHARP_FORMATS[format]) throw new PhotoError("not_an_image");
  if (!metadata.width || !metadata.height) throw new PhotoError("corrupt");
  if (metadata.width * metadata.height > PHOTO_LIMITS.maxPixels) throw new PhotoError("too_many_pixels");
  if (format !== "heic") return { input, options: DECODE_OPTIONS };
  try {
    const decoded = await decodeHeic(input, PHOTO_LIMITS.maxPixels);
    return { input: decoded.data, options: { ...DECODE_OPTIONS, raw: { width: decoded.width, height: decoded.height, channels: 4 } } };
  } catch (error) {
    if (error instanceof HeicPixelLimitError) throw new PhotoError("too_many_pixels");
    throw new PhotoError("corrupt");
  }
}

async function encode(image: Sharp, variant: ImageVariant): Promise<EncodedVariant> {
  const size = VARIANT_SIZES[variant];
  try {
    const { data, info } = await image
      .autoOrient()
      .resize({ width: size, height: size, fit: "inside", withoutEnlargement: true })
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
