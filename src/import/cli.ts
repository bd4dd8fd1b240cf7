/** Placeholder: `co import` is implemented by the import area. */
export async function runImportCommand(_args: string[]): Promise<number> {
  process.stderr.write("Import pas encore disponible.\n");
  return 1;
}
