import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { assertValidKey, assertValidPrefix, type FileStore, type StoredEntry, type StoredFile } from "./file-store.ts";

/**
 * Files in a local folder. Writes go to a hidden temporary file in the target folder, are flushed to
 * disk, then renamed over the target: a crash leaves either the old file, the new one, or a `.tmp`
 * file that `list` skips (and that never matches a key, since keys cannot start with a dot).
 */
export class LocalFileStore implements FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const file = path.join(this.root, ...key.split("/"));
    // The key pattern already forbids it; checked again because a mistake here exposes the disk.
    if (!file.startsWith(this.root + path.sep)) throw new Error("file key escapes the store folder");
    return file;
  }

  /** The content type matters to object storage only: a local file is served with the type its database row records. */
  async put(key: string, data: Buffer | Readable, _contentType?: string): Promise<void> {
    const file = this.pathOf(key);
    const dir = path.dirname(file);
    await fsp.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(6).toString("hex")}.tmp`);
    const handle = await fsp.open(temp, "wx", 0o640);
    try {
      if (Buffer.isBuffer(data)) {
        await handle.writeFile(data);
      } else {
        for await (const chunk of data) await handle.write(chunk as Buffer);
      }
      await handle.sync();
      await handle.close();
      await fsp.rename(temp, file);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fsp.readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async createReadStream(key: string): Promise<StoredFile | null> {
    const file = this.pathOf(key);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, "r");
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    // Size and stream come from the same open file: a concurrent replacement cannot mix them up.
    const { size } = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    return { stream: handle.createReadStream({ autoClose: true }), size };
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fsp.rm(file, { force: true });
    await this.removeEmptyFolders(path.dirname(file));
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fsp.stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<StoredEntry> {
    assertValidPrefix(prefix);
    // Walk the deepest folder the prefix names, then filter on the full prefix.
    const folder = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const start = folder ? path.join(this.root, ...folder.split("/")) : this.root;
    for await (const entry of walk(start)) {
      const key = path.relative(this.root, entry.file).split(path.sep).join("/");
      if (key.startsWith(prefix)) yield { key, size: entry.size, modifiedAt: entry.modifiedAt };
    }
  }

  /** Photo folders hold a few variants: drop the folder with its last file, up to the store root. */
  private async removeEmptyFolders(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(this.root + path.sep)) {
      try {
        await fsp.rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }
}

async function* walk(dir: string): AsyncIterable<{ file: string; size: number; modifiedAt: Date }> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(file);
    else if (entry.isFile()) {
      const stat = await fsp.stat(file).catch(() => null);
      if (stat) yield { file, size: stat.size, modifiedAt: stat.mtime };
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
