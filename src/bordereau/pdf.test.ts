import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { LocalFileStore } from "../platform/storage/local.ts";
import { rendreBordereau } from "./pdf.ts";
import type { LigneEdifice } from "./repository.ts";

const POPPLER = spawnSync("which", ["pdftotext"]).status === 0;

function ligne(i: number, overrides: Partial<LigneEdifice["ligne"]> = {}, titre = `Retable ${i}`): LigneEdifice {
  return {
    recensement_id: i,
    palissy_ref: `PM68${100000 + i}`,
    titre,
    categorie: "orfèvrerie",
    epoque: "17e siècle",
    date_protection: "25 juillet 1908",
    photo: { id: i, storage_key: `photos/absente-${i}`, vignetteUrl: "" },
    photoMemoire: null,
    enregistree: true,
    ligne: {
      etat_sanitaire: "bon",
      notes_commune: "Court",
      notes_conservateur: "Vu",
      notes_proprietaire: null,
      notes_affectataire: null,
      ...overrides,
    },
  };
}

describe.skipIf(!POPPLER)("bordereau PDF layout", () => {
  it("cuts a note too long for a page, keeps every label, replaces characters Marianne lacks, photo file missing → Pas de photo", async () => {
    if (!POPPLER) process.stdout.write("pdf.test: pdftotext absent, test ignoré\n");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bordereau-pdf-"));
    try {
      const pdf = await rendreBordereau(new LocalFileStore(dir), {
        departement: { code: "68", nom: "Haut-Rhin", region: "Grand Est" },
        commune: { nom: "Eguisheim", code_insee: "68078" },
        edifice: { nom: "Église Saints-Pierre-et-Paul" },
        lignes: [ligne(1, {}, "Calice 中文"), ligne(2, { notes_commune: "Très long commentaire. ".repeat(400) }), ligne(3)],
      });
      const file = path.join(dir, "b.pdf");
      fs.writeFileSync(file, pdf);
      const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
      expect(text).toContain("Calice ??");
      const pages = text.split("\f").filter((page) => page.trim() !== "");
      // Row 2 alone fills page 2 (cut with an ellipsis, never split); then the participants and the references.
      expect(pages).toHaveLength(5);
      expect(pages[1]).toContain("PM68100002");
      expect(pages[1]).toMatch(/\S…/);
      expect(pages[1]).toContain("Affectataire : —");
      expect(pages[1]).toContain("Référence");
      expect(pages[2]).toContain("PM68100003");
      expect(pages[2]).toContain("Référence");
      expect(text.match(/Pas de photo/g)).toHaveLength(3);
      expect(pages[4]).toContain("5/5");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints the objet's Mémoire photo when the recensement has none, fetched from its server; an unreachable server gives Pas de photo", async () => {
    const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: "#a86" } })
      .jpeg()
      .toBuffer();
    const serveur = http.createServer((request, response) => {
      if (request.url === "/memoire/photo.jpg") response.writeHead(200, { "content-type": "image/jpeg" }).end(jpeg);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => serveur.listen(0, "127.0.0.1", resolve));
    const port = (serveur.address() as AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bordereau-memoire-"));
    try {
      const sansPhoto = (i: number, url: string | null): LigneEdifice => ({ ...ligne(i), photo: null, photoMemoire: url });
      const rendre = (lignes: LigneEdifice[]) =>
        rendreBordereau(new LocalFileStore(dir), {
          departement: { code: "68", nom: "Haut-Rhin", region: "Grand Est" },
          commune: { nom: "Eguisheim", code_insee: "68078" },
          edifice: { nom: "Église Saints-Pierre-et-Paul" },
          lignes,
        });
      const images = (pdf: Buffer) => {
        const file = path.join(dir, "b.pdf");
        fs.writeFileSync(file, pdf);
        // `pdfimages -list`: two header lines, then one line per embedded image.
        return execFileSync("pdfimages", ["-list", file], { encoding: "utf8" }).trim().split("\n").length - 2;
      };
      const avecMemoire = await rendre([
        sansPhoto(1, `http://127.0.0.1:${port}/memoire/photo.jpg`),
        sansPhoto(2, `http://127.0.0.1:${port}/memoire/disparue.jpg`),
        sansPhoto(3, "ftp://example.test/photo.jpg"),
      ]);
      expect(images(avecMemoire)).toBe(1);
      serveur.closeAllConnections();
      serveur.close();
      const horsLigne = await rendre([sansPhoto(1, `http://127.0.0.1:${port}/memoire/photo.jpg`)]);
      expect(images(horsLigne)).toBe(0);
    } finally {
      serveur.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
