import type { ConsoleAssets } from '../../console/router.ts';
import type { Fetcher } from './bindings.ts';

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };

/**
 * The console's files from the Worker's static-assets binding (filled by scripts/workers-assets.ts).
 * The Worker runs first for every request (`run_worker_first`), so the files are served only through
 * the console router, with its headers, and never at paths of their own.
 */
export function assetsFromBinding(binding: Fetcher): ConsoleAssets {
  return async (name) => {
    const res = await binding.fetch(new Request(`https://assets.invalid/${name}`));
    if (!res.ok) return undefined;
    return { body: await res.text(), contentType: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream' };
  };
}
