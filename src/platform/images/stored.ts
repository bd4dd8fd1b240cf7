import type { FileStore } from "../storage/file-store.ts";
import { IMAGE_VARIANTS, type ImageVariant, type ProcessedPhoto } from "./photo.ts";

/** A processed photo is stored as one folder per photo: `<storageKey>/{original,display,thumbnail}.jpg`. */
export function variantKey(storageKey: string, variant: ImageVariant): string {
  return `${storageKey}/${variant}.jpg`;
}

/** Writes the three variants; when one write fails, removes the others before rethrowing. */
export async function storeVariants(files: FileStore, storageKey: string, photo: ProcessedPhoto): Promise<void> {
  try {
    await Promise.all(
      IMAGE_VARIANTS.map((variant) => files.put(variantKey(storageKey, variant), photo.variants[variant].data, photo.contentType)),
    );
  } catch (error) {
    await deleteVariants(files, storageKey).catch(() => undefined);
    throw error;
  }
}

/** Removes the stored variants of a photo (missing files are fine: deleting twice is harmless). */
export async function deleteVariants(files: FileStore, storageKey: string): Promise<void> {
  for (const variant of IMAGE_VARIANTS) await files.delete(variantKey(storageKey, variant));
}
