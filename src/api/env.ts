import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/principal.ts';

/** Hono context variables on /v1 routes. */
export interface AppEnv {
  Variables: {
    deps: Deps;
    principal?: Principal;
    requestId: string;
  };
}
