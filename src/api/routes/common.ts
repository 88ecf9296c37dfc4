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
    415: 'Request body is not application/json',
    422: 'Validation failed',
    429: 'Rate limited (see Retry-After)',
    503: 'Redis or the database is unavailable for now (see Retry-After)',
  };
  const headers: Record<number, Record<string, { description: string; schema: { type: 'integer' | 'string'; minimum?: number } }>> = {
    401: { 'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750)', schema: { type: 'string' } } },
    429: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
    503: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
  };
  // Whatever takes a body can also answer 413 (the 1 MiB limit) and 415 (not JSON); everything can
  // answer 503 while Redis or the database is down.
  const all = [...new Set([...statuses, ...(statuses.includes(400) ? [413, 415] : []), 503])];
  return Object.fromEntries(
    all.map((s) => [
      s,
      { description: descriptions[s] ?? 'Error', ...(headers[s] ? { headers: headers[s] } : {}), content: { 'application/json': { schema: ErrorBody } } },
    ]),
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
