import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { FileStore } from "../storage/file-store.ts";
import { LocalFileStore } from "../storage/local.ts";
import { detectImageFormat } from "./formats.ts";
import { IMAGE_VARIANTS, PHOTO_ERROR_MESSAGES, PhotoError, processPhoto, type PhotoErrorCode, type ProcessedPhoto } from "./photo.ts";
import { processAndStorePhoto, variantKey } from "./stored.ts";

/**
 * The upload attack corpus of SPEC §13, generated here (no binary file in the repository), plus one
 * file per accepted format.
 */

/** 120×80 HEVC-coded HEIC (left half red, right half teal) carrying EXIF with a GPS position, made with libheif's heif-enc. */
const HEIC_WITH_GPS = Buffer.from(
  "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAYBtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAABAAAANGlsb2MAAAAAREAAAgABAAAAAAGkAAEAAAAAAAAAewACAAAAAAIfAAEAAAAAAAABDAAAADhpaW5mAAAAAAACAAAAFWluZmUCAAAAAAEAAGh2YzEAAAAAFWluZmUCAAABAAIAAEV4aWYAAAAAv2lwcnAAAAChaXBjbwAAAHVodmNDAQNwAAAAAAAAAAAAHvAA/P34+AAADwMgAAEAGEABDAH//wNwAAADAJAAAAMAAAMAHroCQCEAAQAoQgEBA3AAAAMAkAAAAwAAAwAeoDyBRZbqSSmubAgAAAMACAAAAwAIQCIAAQAHRAHBcrAiQAAAABRpc3BlAAAAAAAAAHgAAABQAAAAEHBpeGkAAAAAAwgICAAAABZpcG1hAAAAAAAAAAEAAQOBAoMAAAAaaXJlZgAAAAAAAAAOY2RzYwACAAEAAQAAAY9tZGF0AAAAdygBrxmAaK8s5dkWQpv/+EsCMeF/xFBqmW29hZ+Xg7TtinjtckpUeNu5Y8C6kyxv83zMKgytBxGRrSmIO7eUZ8Dv13BcBeZ87ltQou92dbMQtkAKCO0qWt+H8gAAAwAGQKDPcQIPg7MVCA0VoAmsLvVmHVPGXmKoAAAAAElJKgAIAAAACAAPAQIABQAAAH4AAAASAQMAAQAAAAEAAAAaAQUAAQAAAG4AAAAbAQUAAQAAAHYAAAAoAQMAAQAAAAIAAAATAgMAAQAAAAEAAABphwQAAQAAAIQAAAAliAQAAQAAANIAAAAAAAAAOGMAAOgDAAA4YwAA6AMAAFRlc3QAAAYAAJAHAAQAAAAwMjEwAZEHAAQAAAABAgMAAKAHAAQAAAAwMTAwAaADAAEAAAD//wAAAqAEAAEAAAB4AAAAA6AEAAEAAABQAAAAAAAAAAIAAQACAAIAAABOAAAAAgAFAAMAAADwAAAAAAAAADAAAAABAAAAMwAAAAEAAAAAAAAAAQAAAA==",
  "base64",
);

/** Noise, so that encoded sizes look like a photo's rather than a flat colour's. */
function noise(width: number, height: number, channels: 3 | 4 = 3): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  let seed = 1;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = seed >> 23;
  }
  return pixels;
}

const raw = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp(noise(width, height, channels), { raw: { width, height, channels } });

/** GPS IFD pointer (tag 0x8825) in either byte order. */
function hasGpsTag(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}

const GPS_EXIF = {
  IFD0: { Make: "Téléphone de test", Model: "Modèle 1" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 2964/100", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 784/100" },
};

async function expectNoMetadata(photo: ProcessedPhoto): Promise<void> {
  for (const variant of IMAGE_VARIANTS) {
    const data = photo.variants[variant].data;
    const metadata = await sharp(data).metadata();
    expect(metadata.format, variant).toBe("jpeg");
    expect(metadata.exif, variant).toBeUndefined();
    expect(metadata.xmp, variant).toBeUndefined();
    expect(metadata.iptc, variant).toBeUndefined();
    expect(metadata.icc, variant).toBeUndefined();
    expect(metadata.orientation, variant).toBeUndefined();
    expect(data.includes(Buffer.from("Exif\0\0", "latin1")), variant).toBe(false);
    expect(data.includes(Buffer.from("Téléphone")), variant).toBe(false);
  }
}

async function expectRefused(input: Buffer, code: PhotoErrorCode): Promise<void> {
  const error = await processPhoto(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhotoError);
  expect((error as PhotoError).code).toBe(code);
  expect((error as PhotoError).message).toBe(PHOTO_ERROR_MESSAGES[code]);
}

/** A real decompression bomb: 20,000 × 20,000 one-bit pixels (400 megapixels) in about 50 kB. */
function pngBomb(): Buffer {
  const width = 20_000;
  const height = 20_000;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const scanlines = Buffer.alloc((1 + width / 8) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(scanlines, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("detectImageFormat", () => {
  it("recognises formats by content only", async () => {
    expect(detectImageFormat(await raw(16, 16).jpeg().toBuffer())).toBe("jpeg");
    expect(detectImageFormat(await raw(16, 16).png().toBuffer())).toBe("png");
    expect(detectImageFormat(await raw(16, 16).webp().toBuffer())).toBe("webp");
    expect(detectImageFormat(await raw(16, 16).avif().toBuffer())).toBe("avif");
    expect(detectImageFormat(HEIC_WITH_GPS)).toBe("heic");
    expect(detectImageFormat(await raw(16, 16).gif().toBuffer())).toBeNull();
    expect(detectImageFormat(await raw(16, 16).tiff().toBuffer())).toBeNull();
    expect(detectImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(detectImageFormat(Buffer.from("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "latin1"))).toBeNull();
    expect(detectImageFormat(Buffer.alloc(0))).toBeNull();
  });
});

describe("processPhoto", () => {
  it("applies the EXIF orientation and removes every metadata, GPS included, from a JPEG", async () => {
    // Stored 1200×900 with orientation 6: the camera was held upright, the photo is 900×1200.
    const input = await raw(1200, 900).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).withExif(GPS_EXIF).toBuffer();
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(hasGpsTag(before.exif!)).toBe(true);

    const photo = await processPhoto(input);
    expect(photo.sourceFormat).toBe("jpeg");
    expect(photo.contentType).toBe("image/jpeg");
    expect([photo.width, photo.height]).toEqual([900, 1200]);
    expect([photo.variants.display.width, photo.variants.display.height]).toEqual([900, 1200]);
    expect([photo.variants.thumbnail.width, photo.variants.thumbnail.height]).toEqual([300, 400]);
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expectNoMetadata(photo);
  });

  it("shrinks large photos to the variant sizes, never enlarges small ones", async () => {
    const large = await processPhoto(await raw(4800, 1200).jpeg().toBuffer());
    expect([large.width, large.height]).toEqual([4000, 1000]);
    expect([large.variants.display.width, large.variants.display.height]).toEqual([1600, 400]);
    expect([large.variants.thumbnail.width, large.variants.thumbnail.height]).toEqual([400, 100]);
    const small = await processPhoto(await raw(300, 200).jpeg().toBuffer());
    for (const variant of IMAGE_VARIANTS) expect([small.variants[variant].width, small.variants[variant].height]).toEqual([300, 200]);
  });

  it("accepts PNG (transparency on white), WebP and AVIF, as metadata-free JPEG", async () => {
    const transparent = await sharp({ create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .withExif(GPS_EXIF)
      .toBuffer();
    const png = await processPhoto(transparent);
    expect(png.sourceFormat).toBe("png");
    const { data } = await sharp(png.variants.original.data).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)].every((v) => v > 245)).toBe(true);
    await expectNoMetadata(png);

    const webp = await processPhoto(await raw(320, 240).webp().withExif(GPS_EXIF).toBuffer());
    expect([webp.sourceFormat, webp.width, webp.height]).toEqual(["webp", 320, 240]);
    await expectNoMetadata(webp);

    // AV1-coded HEIF: sharp's libheif decodes it without the HEVC worker.
    const avif = await processPhoto(await raw(160, 120).avif({ quality: 40, effort: 0 }).toBuffer());
    expect([avif.sourceFormat, avif.width, avif.height]).toEqual(["avif", 160, 120]);
    await expectNoMetadata(avif);
  });

  it("decodes an HEVC-coded HEIC (iPhone photo) and drops its EXIF GPS", async () => {
    expect(HEIC_WITH_GPS.subarray(4, 12).toString("latin1")).toBe("ftypheic");
    expect(hasGpsTag(HEIC_WITH_GPS)).toBe(true);
    const photo = await processPhoto(HEIC_WITH_GPS);
    expect([photo.sourceFormat, photo.width, photo.height]).toEqual(["heic", 120, 80]);
    const { data, info } = await sharp(photo.variants.original.data).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    // Top-left is red-ish, bottom-right teal-ish: the pixels are really decoded, not a grey placeholder.
    expect(pixel(10, 10)[0]).toBeGreaterThan(180);
    expect(pixel(110, 70)[0]).toBeLessThan(80);
    expect(pixel(110, 70)[1]).toBeGreaterThan(150);
    await expectNoMetadata(photo);
  });

  it("refuses a text file named photo.jpg, an SVG, a GIF and an empty file as not being images", async () => {
    await expectRefused(Buffer.from("Ceci n’est pas une photo, même si le fichier s’appelle photo.jpg\n"), "not_an_image");
    await expectRefused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "not_an_image");
    await expectRefused(await raw(32, 32).gif().toBuffer(), "not_an_image");
    await expectRefused(Buffer.alloc(0), "not_an_image");
  });

  it("refuses a truncated JPEG, and a HEIC whose data is garbage", async () => {
    const jpeg = await raw(1200, 900).jpeg().toBuffer();
    await expectRefused(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), "corrupt");
    await expectRefused(jpeg.subarray(0, 400), "corrupt");
    const garbage = Buffer.concat([HEIC_WITH_GPS.subarray(0, 40), Buffer.alloc(2000, 0x41)]);
    await expectRefused(garbage, "corrupt");
  });

  it("reads a photo from a temporary file as from memory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "co-photo-"));
    try {
      const input = await raw(640, 480).jpeg().withMetadata({ orientation: 8 }).withExif(GPS_EXIF).toBuffer();
      fs.writeFileSync(path.join(dir, "upload"), input);
      const fromFile = await processPhoto({ file: path.join(dir, "upload") });
      expect([fromFile.width, fromFile.height]).toEqual([480, 640]);
      expect(fromFile.sha256).toBe((await processPhoto(input)).sha256);
      await expectNoMetadata(fromFile);
      fs.writeFileSync(path.join(dir, "texte"), "pas une image");
      await expect(processPhoto({ file: path.join(dir, "texte") })).rejects.toMatchObject({ code: "not_an_image" });
      fs.writeFileSync(path.join(dir, "heic"), HEIC_WITH_GPS);
      expect((await processPhoto({ file: path.join(dir, "heic") })).sourceFormat).toBe("heic");
      fs.writeFileSync(path.join(dir, "gros"), Buffer.alloc(21 * 1024 * 1024));
      await expect(processPhoto({ file: path.join(dir, "gros") })).rejects.toMatchObject({ code: "too_large" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stores each variant as it is encoded, and leaves no file when a write fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "co-photo-"));
    try {
      const store = new LocalFileStore(dir);
      const input = await raw(900, 600).jpeg().toBuffer();
      const photo = await processAndStorePhoto(store, "photos/abc", input);
      for (const variant of IMAGE_VARIANTS) {
        expect((await store.get(variantKey("photos/abc", variant)))?.equals(photo.variants[variant].data)).toBe(true);
      }
      const failing: FileStore = Object.assign(Object.create(store) as LocalFileStore, {
        put: async (key: string, data: Buffer) => {
          if (key.endsWith("thumbnail.jpg")) throw new Error("disque plein");
          await store.put(key, data, "image/jpeg");
        },
      });
      await expect(processAndStorePhoto(failing, "photos/def", input)).rejects.toThrow("disque plein");
      const keys: string[] = [];
      for await (const entry of store.list("photos/def")) keys.push(entry.key);
      expect(keys).toEqual([]);
      await expect(processAndStorePhoto(store, "photos/ghi", Buffer.from("pas une image"))).rejects.toBeInstanceOf(PhotoError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a 50 MB file before decoding anything", async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
    (await raw(16, 16).jpeg().toBuffer()).copy(big);
    await expectRefused(big, "too_large");
  });

  it("refuses a decompression bomb from its header, without decoding it", async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(200_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await expectRefused(bomb, "too_many_pixels");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("never stores a polyglot as it came", async () => {
    const html = Buffer.from("<html><body><script>alert(document.cookie)</script></body></html>");
    // JPEG signature followed by a web page: not decodable.
    await expectRefused(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), html]), "corrupt");
    // A valid JPEG with a page appended: the photo is re-encoded, the page is gone.
    const photo = await processPhoto(Buffer.concat([await raw(200, 100).jpeg().toBuffer(), html]));
    for (const variant of IMAGE_VARIANTS) expect(photo.variants[variant].data.includes(Buffer.from("<script"))).toBe(false);
  });
});
