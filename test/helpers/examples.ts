import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The example manifests shipped in the repository (`examples/`). */
export const EXAMPLES_DIR = process.env.KATES_EXAMPLES_DIR ?? fileURLToPath(new URL('../../examples', import.meta.url));

export function examplePath(name: string): string {
  return join(EXAMPLES_DIR, name);
}
