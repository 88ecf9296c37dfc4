import { z } from '@hono/zod-openapi';
import { ApiError, ErrorBody } from '../errors.ts';

/** Shared error responses, referenced by every operation so the contract lists them. */
export function errors(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Malformed request',
    401: 'Missing or invalid token',
    403: 'Not allowed (role) or quota exceeded',
    404: 'Not found (or owned by another tenant)',
    409: 'Conflict',
    413: 'Request body too large',
    422: 'Validation failed',
    429: 'Rate limited (see Retry-After)',
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s] ?? 'Error', content: { 'application/json': { schema: ErrorBody } } }]),
  );
}

export const AUTH_ERRORS = [400, 401, 403, 404, 422, 429] as const;
export const bearer = [{ bearerAuth: [] }];

export const IdParam = (name: string, prefix: string) =>
  z.object({ [name]: z.string().openapi({ param: { name, in: 'path' }, example: `${prefix}_0123456789abcdef` }) });

/**
 * Custom verbs (`…/kubeconfig:rotate`, `…/clock:advance`) follow Google's API style; Hono's router reads
 * the colon as a parameter, so the handler checks the literal last segment itself.
 */
export function assertCustomVerb(path: string, segment: string): void {
  if (path.slice(path.lastIndexOf('/') + 1) !== segment) throw new ApiError('NOT_FOUND', `no endpoint ${path}`);
}
