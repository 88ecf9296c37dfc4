import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The shared course manifests live beside the repository (`../shared/examples`), in CI as here. */
export const EXAMPLES_DIR = process.env.KATES_EXAMPLES_DIR ?? fileURLToPath(new URL('../../../shared/examples', import.meta.url));

export function examplePath(name: string): string {
  return join(EXAMPLES_DIR, name);
}
