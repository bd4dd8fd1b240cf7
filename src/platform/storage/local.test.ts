import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidFileKeyError } from "./file-store.ts";
import { LocalFileStore } from "./local.ts";

describe("LocalFileStore", () => {
  let root: string;
  let store: LocalFileStore;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "co-files-"));
    store = new LocalFileStore(path.join(root, "files"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("writes, reads, streams, lists and deletes files", async () => {
    await store.put("photos/a1/original.jpg", Buffer.from("one"), "image/jpeg");
    await store.put("photos/a1/thumbnail.jpg", Readable.from([Buffer.from("tw"), Buffer.from("o")]), "image/jpeg");
    expect((await store.get("photos/a1/original.jpg"))?.toString()).toBe("one");
    expect(await store.exists("photos/a1/thumbnail.jpg")).toBe(true);
    const opened = await store.createReadStream("photos/a1/thumbnail.jpg");
    expect(opened?.size).toBe(3);
    const chunks: Buffer[] = [];
    for await (const chunk of opened!.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe("two");

    const keys: string[] = [];
    for await (const entry of store.list("photos/")) keys.push(entry.key);
    expect(keys.sort()).toEqual(["photos/a1/original.jpg", "photos/a1/thumbnail.jpg"]);

    await store.put("photos/a1/original.jpg", Buffer.from("replaced"), "image/jpeg");
    expect((await store.get("photos/a1/original.jpg"))?.toString()).toBe("replaced");

    await store.delete("photos/a1/original.jpg");
    await store.delete("photos/a1/original.jpg");
    await store.delete("photos/a1/thumbnail.jpg");
    expect(await store.get("photos/a1/original.jpg")).toBeNull();
    expect(await store.createReadStream("photos/a1/original.jpg")).toBeNull();
    expect(await store.exists("photos/a1/original.jpg")).toBe(false);
    // The emptied photo folder goes with its last file.
    expect(fs.existsSync(path.join(root, "files", "photos", "a1"))).toBe(false);
  });

  it("leaves no temporary file behind, and lists none of a write that failed", async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error("connection lost"));
      },
    });
    await expect(store.put("photos/b/original.jpg", failing, "image/jpeg")).rejects.toThrow("connection lost");
    expect(fs.readdirSync(path.join(root, "files", "photos", "b"))).toEqual([]);
    const keys: string[] = [];
    for await (const entry of store.list("")) keys.push(entry.key);
    expect(keys).toEqual([]);
  });

  it("refuses keys that could leave its folder", async () => {
    for (const key of [
      "../etc/passwd",
      "photos/../../x",
      "/etc/passwd",
      "photos//x",
      ".hidden",
      "photos/.x",
      "a\\b",
      "",
      "photos/x/",
      "a\0b",
    ]) {
      await expect(store.put(key, Buffer.from("x"), "text/plain"), key).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidFileKeyError);
      await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidFileKeyError);
    }
    expect(fs.existsSync(path.join(root, "etc"))).toBe(false);
  });
});
