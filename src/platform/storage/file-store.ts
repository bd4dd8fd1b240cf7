import type { Readable } from "node:stream";

/** A stored file opened for reading. */
export type StoredFile = { stream: Readable; size: number };

/** One file found by `list`, for orphan clean-up. */
export type StoredEntry = { key: string; size: number; modifiedAt: Date };

/**
 * Where photos and generated files live: a local folder by default, S3-compatible storage in production.
 * Keys are relative slash-separated paths (`photos/<uuid>/display.jpg`), checked by `assertValidKey`.
 */
export interface FileStore {
  /** Writes the whole file, replacing any file of that key; readers never see a half-written file. */
  put(key: string, data: Buffer | Readable, contentType: string): Promise<void>;
  /** The file's bytes, or null when there is no such file. */
  get(key: string): Promise<Buffer | null>;
  /** A stream of the file with its size, or null when there is no such file. */
  createReadStream(key: string): Promise<StoredFile | null>;
  /** Removes the file; removing a missing file is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Every file whose key starts with `prefix` (a folder such as `photos/`), in no particular order. */
  list(prefix: string): AsyncIterable<StoredEntry>;
}

export class InvalidFileKeyError extends Error {
  constructor(key: string) {
    super(`Invalid file key: ${JSON.stringify(key.slice(0, 200))}`);
  }
}

/** Letters, digits, `.`, `_` and `-` in each segment, never starting with a dot: no `..`, no absolute path, no hidden file. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;
const MAX_KEY_LENGTH = 512;

export function assertValidKey(key: string): void {
  if (typeof key !== "string" || key.length > MAX_KEY_LENGTH || !KEY.test(key)) throw new InvalidFileKeyError(String(key));
}

/** A prefix is a key, optionally ending with `/` (or empty for everything). */
export function assertValidPrefix(prefix: string): void {
  if (prefix === "") return;
  assertValidKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}
