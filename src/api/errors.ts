import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { StoreError } from '../store/errors.ts';
import { AuthError } from '../auth/tokens.ts';
import { asUnavailable } from '../lib/unavailable.ts';
import { ServiceError, type FieldIssue, type ServiceErrorCode } from '../services/errors.ts';

/** The closed set of /v1 error codes, each with one HTTP status. */
export const errorStatus = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  QUOTA_EXCEEDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type { FieldIssue } from '../services/errors.ts';

/** The /v1 code of each service refusal. */
const serviceCodes: Record<ServiceErrorCode, ErrorCode> = {
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalid: 'VALIDATION_FAILED',
  quota_exceeded: 'QUOTA_EXCEEDED',
  forbidden: 'FORBIDDEN',
  unavailable: 'UNAVAILABLE',
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string, id: string) => new ApiError('NOT_FOUND', `${what} ${id} not found`);

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

/** Zod failures become 422 with one issue per failing field (unknown fields included). */
export function validationError(err: ZodError, where: string): ApiError {
  const issues: FieldIssue[] = err.issues.flatMap((i) => {
    const base = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: 'unknown field' }));
    return [{ field: base || where, message: i.message }];
  });
  const first = issues[0];
  return new ApiError('VALIDATION_FAILED', first ? `${first.field}: ${first.message}` : 'invalid request', { issues });
}

export function errorResponse(c: Context, err: ApiError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  const body: { error: { code: string; message: string; details?: Record<string, unknown> } } = { error: { code: err.code, message: err.message } };
  if (Object.keys(err.details).length) body.error.details = err.details;
  return c.json(body, err.status as 400);
}

/** One mapper for everything that escapes a /v1 handler. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ServiceError) return new ApiError(serviceCodes[err.code], err.message, err.details);
  if (err instanceof AuthError)
    return new ApiError('UNAUTHORIZED', `invalid token: ${err.message}`, {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  if (err instanceof StoreError) {
    if (err.reason === 'NotFound') return new ApiError('NOT_FOUND', err.message);
    if (err.reason === 'Forbidden') return new ApiError('QUOTA_EXCEEDED', err.message);
    return new ApiError('CONFLICT', err.message);
  }
  if (err instanceof HTTPException) {
    if (err.status === 400) return new ApiError('BAD_REQUEST', err.message || 'malformed request');
    if (err.status === 413) return new ApiError('PAYLOAD_TOO_LARGE', 'request body too large');
    if (err.status === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json');
    return new ApiError(err.status === 401 ? 'UNAUTHORIZED' : 'BAD_REQUEST', err.message);
  }
  const unavailable = asUnavailable(err);
  if (unavailable) {
    const wait = unavailable.retryAfterSeconds;
    return new ApiError('UNAVAILABLE', `${unavailable.message}; retry later`, { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
  }
  return new ApiError('INTERNAL', 'internal error');
}
