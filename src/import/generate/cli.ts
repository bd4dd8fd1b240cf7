/** Placeholder: `co generate national` is implemented by the generator. */
export async function runGenerateCommand(_args: string[]): Promise<number> {
  process.stderr.write("Générateur pas encore disponible.\n");
  return 1;
}
