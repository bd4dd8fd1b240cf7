import type { FileStore } from "../storage/file-store.ts";
import { IMAGE_VARIANTS, processPhoto, type ImageVariant, type PhotoInput, type ProcessedPhoto } from "./photo.ts";

/** A processed photo is stored as one folder per photo: `<storageKey>/{original,display,thumbnail}.jpg`. */
export function variantKey(storageKey: string, variant: ImageVariant): string {
  return `${storageKey}/${variant}.jpg`;
}

/**
 * Processes a photo (see processPhoto) and stores each variant as soon as it is encoded. When anything
 * fails, the variants already written are removed before the error is rethrown.
 */
export async function processAndStorePhoto(files: FileStore, storageKey: string, input: PhotoInput): Promise<ProcessedPhoto> {
  let written = false;
  try {
    return await processPhoto(input, async (variant, encoded) => {
      written = true;
      await files.put(variantKey(storageKey, variant), encoded.data, "image/jpeg");
    });
  } catch (error) {
    if (written) await deleteVariants(files, storageKey).catch(() => undefined);
    throw error;
  }
}

/** Removes the stored variants of a photo (missing files are fine: deleting twice is harmless). */
export async function deleteVariants(files: FileStore, storageKey: string): Promise<void> {
  for (const variant of IMAGE_VARIANTS) await files.delete(variantKey(storageKey, variant));
}
