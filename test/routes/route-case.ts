import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { HttpResponse } from '../helpers/harness.ts';
import { findOperation } from '../helpers/contract.ts';
import type { Fixture, Caller } from './fixture.ts';

/** One request a case made: which documented operation it reached, as whom, and the answer's status. */
export interface Sent {
  op: string | undefined;
  as: Caller;
  status: number;
}

export interface RouteContext {
  fx: Fixture;
  /** A request through the in-process app as `as`; every /v1 answer is checked against openapi.yaml. */
  call(as: Caller, method: string, path: string, opts?: { body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<HttpResponse>;
}

/**
 * The three things every /v1 operation is tested for, in process: it works (`happy`, some call of the
 * operation answers 2xx), it refuses bad input or a missing or busy resource (`error`, some call
 * answers 4xx) and it keeps tenants apart (`isolation`, tenant B calls it about tenant A's data).
 * The runner checks each function really sent such a request to its operation.
 */
export interface RouteCase {
  op: string;
  happy(t: RouteContext): Promise<void>;
  error(t: RouteContext): Promise<void>;
  isolation(t: RouteContext): Promise<void>;
}

export type Kind = 'happy' | 'error' | 'isolation';

/** What each kind of test must have sent to its own operation. */
export const proof: Record<Kind, { what: string; holds: (s: Sent) => boolean }> = {
  happy: { what: 'a 2xx answer', holds: (s) => s.status >= 200 && s.status < 300 },
  error: { what: 'a 4xx answer', holds: (s) => s.status >= 400 && s.status < 500 },
  isolation: { what: 'a call by tenant B', holds: (s) => s.as === 'B' },
};

/** `METHOD /path/{template}` of the operation a request reaches, as openapi.yaml names it. */
export function operationOf(method: string, path: string): string | undefined {
  const found = findOperation(method, path);
  return found ? `${method.toUpperCase()} ${found.template}` : undefined;
}

/** Every operation openapi.yaml documents, as `METHOD /path`. */
export function documentedOperations(): string[] {
  const spec = parse(readFileSync(resolve(import.meta.dirname, '../../openapi.yaml'), 'utf8'));
  return Object.entries(spec.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

/** The /v1 error shape with this status and code. */
export function assertError(r: HttpResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.error.code, code, r.text);
  if (message) assert.match(r.body.error.message, message);
}

/** Tenant B asked about one of A's resources: 404 as if it did not exist, and nothing of A in the answer. */
export function assertHidden(r: HttpResponse, fx: Fixture, path: string): void {
  assertError(r, 404, 'NOT_FOUND');
  for (const secret of fx.secretsOfA()) {
    const leaks = r.text.split(secret).length - 1 - (path.includes(secret) ? 1 : 0);
    assert.ok(leaks <= 0, `${path} leaks ${secret}: ${r.text.slice(0, 300)}`);
  }
}

/** Tenant B listed something: nothing of A in it. */
export function assertNothingOfA(r: HttpResponse, fx: Fixture): void {
  for (const secret of fx.secretsOfA()) assert.ok(!r.text.includes(secret), `leaks ${secret}: ${r.text.slice(0, 300)}`);
}
