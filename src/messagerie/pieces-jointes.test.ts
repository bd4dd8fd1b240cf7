import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalFileStore } from "../platform/storage/local.ts";
import { variantKey } from "../platform/images/stored.ts";
import {
  cleFichier,
  MESSAGES_PIECES_JOINTES,
  PIECES_JOINTES_LIMITES,
  stockerPieceJointe,
  supprimerPiecesStockees,
} from "./pieces-jointes.ts";

const GPS_EXIF = {
  IFD0: { Make: "Téléphone", Model: "Test" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "47/1 34/1 2964/100", GPSLongitudeRef: "W", GPSLongitude: "2/1 57/1 784/100" },
};

function hasGpsTag(bytes: Buffer): boolean {
  return bytes.includes(Buffer.from([0x88, 0x25])) || bytes.includes(Buffer.from([0x25, 0x88]));
}

async function pdf(): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  doc.text("Plan de l’église de Locmariaquer");
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A ZIP with stored (uncompressed) entries, in the given order, as office suites write them. */
function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const nom = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nom.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nom.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nom, data);
    centrals.push(central, nom);
    offset += 30 + nom.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe("stockerPieceJointe: attachments checked by content", () => {
  let root: string;
  let files: LocalFileStore;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "co-pj-"));
    files = new LocalFileStore(root);
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function storedKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const entry of files.list("messages/")) keys.push(entry.key);
    return keys.sort();
  }

  it("re-encodes a photo without its EXIF GPS position, with a thumbnail", async () => {
    const jpeg = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#a05030" } })
      .jpeg()
      .withExif(GPS_EXIF)
      .toBuffer();
    expect(hasGpsTag((await sharp(jpeg).metadata()).exif!)).toBe(true);
    const result = await stockerPieceJointe(files, { filename: "C:\\Photos\\IMG_0042.JPEG", data: jpeg });
    if (!result.ok) throw new Error(result.refus.reason);
    expect(result.piece).toMatchObject({ filename: "IMG_0042.jpg", contentType: "image/jpeg", kind: "image", width: 1200, height: 800 });
    expect(result.piece.storageKey).toMatch(/^messages\/[0-9a-f-]{36}$/);
    for (const variant of ["original", "display", "thumbnail"] as const) {
      const stored = await files.get(variantKey(result.piece.storageKey, variant));
      expect(stored, variant).not.toBeNull();
      expect(hasGpsTag(stored!)).toBe(false);
      expect((await sharp(stored!).metadata()).exif).toBeUndefined();
    }
    const thumbnail = await sharp((await files.get(variantKey(result.piece.storageKey, "thumbnail")))!).metadata();
    expect(Math.max(thumbnail.width, thumbnail.height)).toBeLessThanOrEqual(400);
    await supprimerPiecesStockees(files, [result.piece]);
    expect(await storedKeys()).toEqual([]);
  });

  it("keeps a PDF as it is, from a temporary file", async () => {
    const data = await pdf();
    const file = path.join(root, "plan.pdf");
    fs.writeFileSync(file, data);
    const result = await stockerPieceJointe(files, { filename: "plan de l’église.pdf", file });
    if (!result.ok) throw new Error(result.refus.reason);
    expect(result.piece).toMatchObject({
      filename: "plan de l’église.pdf",
      contentType: "application/pdf",
      kind: "fichier",
      byteSize: data.length,
    });
    expect((await files.get(cleFichier(result.piece.storageKey)))!.equals(data)).toBe(true);
    await supprimerPiecesStockees(files, [result.piece]);
    expect(await storedKeys()).toEqual([]);
  });

  it("accepts office documents whose package matches their extension, and UTF-8 text", async () => {
    const odt = zip([
      ["mimetype", "application/vnd.oasis.opendocument.text"],
      ["content.xml", "<office:document-content/>"],
    ]);
    const docx = zip([
      ["[Content_Types].xml", "<Types/>"],
      ["word/document.xml", "<w:document/>"],
    ]);
    const xlsx = zip([
      ["[Content_Types].xml", "<Types/>"],
      ["xl/workbook.xml", "<workbook/>"],
    ]);
    const pieces = [];
    for (const [filename, data, type] of [
      ["compte-rendu.odt", odt, "application/vnd.oasis.opendocument.text"],
      ["courrier.docx", docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
      ["inventaire.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ["notes.txt", Buffer.from("Clé de l’église chez Mme Le Garrec.\n"), "text/plain; charset=utf-8"],
    ] as const) {
      const result = await stockerPieceJointe(files, { filename, data });
      if (!result.ok) throw new Error(`${filename}: ${result.refus.reason}`);
      expect(result.piece.contentType, filename).toBe(type);
      pieces.push(result.piece);
    }
    await supprimerPiecesStockees(files, pieces);
    expect(await storedKeys()).toEqual([]);
  });

  it("refuses a program renamed .pdf, a ZIP renamed .docx, an ODT named .ods, a binary .txt and unknown types; nothing is stored", async () => {
    const exe = Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"), Buffer.alloc(2000, 0x90)]);
    const cases: [string, Buffer, string][] = [
      ["facture.pdf", exe, MESSAGES_PIECES_JOINTES.contenuDifferent("pdf")],
      ["programme.exe", exe, MESSAGES_PIECES_JOINTES.typeRefuse],
      ["archive.docx", zip([["virus.exe", "MZ"]]), MESSAGES_PIECES_JOINTES.contenuDifferent("docx")],
      ["archive.zip", zip([["a.txt", "a"]]), MESSAGES_PIECES_JOINTES.typeRefuse],
      ["tableau.ods", zip([["mimetype", "application/vnd.oasis.opendocument.text"]]), MESSAGES_PIECES_JOINTES.contenuDifferent("ods")],
      ["notes.txt", Buffer.from([0x41, 0x00, 0x42]), MESSAGES_PIECES_JOINTES.texteInvalide],
      ["latin1.txt", Buffer.from("église", "latin1"), MESSAGES_PIECES_JOINTES.texteInvalide],
      ["page.html", Buffer.from("<script>alert(1)</script>"), MESSAGES_PIECES_JOINTES.typeRefuse],
      ["photo.jpg", Buffer.from("pas une image du tout, vraiment pas"), MESSAGES_PIECES_JOINTES.contenuDifferent("jpg")],
      ["vide.pdf", Buffer.alloc(0), MESSAGES_PIECES_JOINTES.vide],
    ];
    for (const [filename, data, reason] of cases) {
      const result = await stockerPieceJointe(files, { filename, data });
      expect(result, filename).toEqual({ ok: false, refus: { filename, reason } });
    }
    expect(await storedKeys()).toEqual([]);
  });

  it("refuses a file over 10 MB, and a truncated photo, without storing anything", async () => {
    const gros = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(PIECES_JOINTES_LIMITES.octets, 0x20)]);
    expect(await stockerPieceJointe(files, { filename: "scan.pdf", data: gros })).toEqual({
      ok: false,
      refus: { filename: "scan.pdf", reason: MESSAGES_PIECES_JOINTES.tropLourd },
    });
    const jpeg = await sharp({ create: { width: 600, height: 400, channels: 3, background: "#336699" } })
      .jpeg()
      .toBuffer();
    const tronquee = await stockerPieceJointe(files, { filename: "coupee.jpg", data: jpeg.subarray(0, jpeg.length / 3) });
    expect(tronquee.ok).toBe(false);
    expect(await storedKeys()).toEqual([]);
  });
});
