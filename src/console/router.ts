import { Hono } from 'hono';
import type { AppEnv } from '../api/env.ts';

export interface ConsoleAsset {
  body: string;
  contentType: string;
}

/** Where the console's files come from: read from disk on Node, from the assets binding on Workers. */
export type ConsoleAssets = (name: string) => ConsoleAsset | undefined | Promise<ConsoleAsset | undefined>;

// Scripts and styles only from this origin; the page calls nothing but the /v1 API of the same origin.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const SAFE_NAME = /^[a-zA-Z0-9_-]+(\/[a-zA-Z0-9_.-]+)*\.(js|css|html)$/;

/** The web console: `/` serves the page, `/docs` the API reference, `/console/*` their scripts, styles and libraries. */
export function consoleRouter(assets: ConsoleAssets): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const headers = (a: ConsoleAsset, cache: string) => ({
    'Content-Type': a.contentType,
    'Cache-Control': cache,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
  });

  app.get('/', async (c) => {
    const page = await assets('index.html');
    return page ? c.body(page.body, 200, headers(page, 'no-cache')) : c.text('console not installed', 404);
  });
  // The API reference (Swagger UI over /openapi.yaml); its scripts come from /console/vendor/.
  app.get('/docs', async (c) => {
    const page = await assets('docs.html');
    return page ? c.body(page.body, 200, headers(page, 'no-cache')) : c.text('API reference not installed here; the contract is at /openapi.yaml', 404);
  });
  app.get('/console/*', async (c) => {
    const name = c.req.path.slice('/console/'.length);
    const asset = SAFE_NAME.test(name) ? await assets(name) : undefined;
    // Assets are small and change with releases; revalidate rather than cache for long.
    return asset ? c.body(asset.body, 200, headers(asset, 'no-cache')) : c.text('404 page not found', 404);
  });
  return app;
}
