import type { ClusterPrincipal } from '../../auth/principal.ts';
import type { Registry } from '../registry/index.ts';
import type { ResourceDef } from '../registry/types.ts';
import type { ClusterInfo, KubeDeps } from '../deps.ts';

/** Everything a verb handler needs about one request, parsed once by the router. */
export interface KubeRequest {
  deps: KubeDeps;
  registry: Registry;
  clusterId: string;
  cluster: ClusterInfo;
  principal: ClusterPrincipal;
  /** The served resource (its version is the one the client speaks). */
  def: ResourceDef;
  /** The resource whose shape is stored (differs from `def` for converted versions). */
  storageDef: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  accept: string;
  contentType: string;
  raw: Request;
  /** `Warning: 299 - "..."` headers to send with the answer. */
  warnings: string[];
}

/** A finished answer; bodies that are strings are sent as they are (pre-serialised JSON). */
export interface KubeResponse {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown, contentType = 'application/json'): KubeResponse => ({ status, body, contentType });

export function isDryRun(req: KubeRequest): boolean {
  return req.query.getAll('dryRun').includes('All');
}

export function fieldManagerOf(req: KubeRequest, fallback: string): string {
  return req.query.get('fieldManager') || fallback;
}
