import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../patch/merge.ts';
import { badRequest, conflict, fieldInvalid, fieldNotSupported, invalid, notFound, serviceUnavailable, type FieldError } from '../status.ts';
import { isoTime } from '../../lib/clock.ts';
import { json, type KubeRequest, type KubeResponse } from './context.ts';
import { ServiceAccountTokens } from '../../auth/service-account-tokens.ts';

const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const DEFAULT_SECONDS = 3600;
const TOKEN_REQUEST = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', plural: 'tokenrequests' };
// A Map, so a kind such as `constructor` is not found on an object's prototype.
const BOUND_KINDS = new Map<string, string>([
  ['Pod', 'pods'],
  ['Secret', 'secrets'],
]);

/** A TokenRequest spec once `validate` accepted it. */
interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind: 'Pod' | 'Secret'; name: string; uid?: unknown } | null;
}

function validate(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.audiences !== undefined && (!Array.isArray(spec.audiences) || spec.audiences.some((a: unknown) => typeof a !== 'string'))) {
    errs.push(fieldInvalid('spec.audiences', spec.audiences, 'must be a list of strings'));
  }
  const s = spec.expirationSeconds;
  if (s !== undefined) {
    if (typeof s !== 'number' || !Number.isInteger(s)) errs.push(fieldInvalid('spec.expirationSeconds', s, 'must be an integer'));
    else if (s < MIN_SECONDS) errs.push(fieldInvalid('spec.expirationSeconds', s, 'may not specify a duration less than 10 minutes'));
    else if (s > MAX_SECONDS) errs.push(fieldInvalid('spec.expirationSeconds', s, 'may not specify a duration larger than 2^32 seconds'));
  }
  const ref = spec.boundObjectRef;
  if (ref !== undefined && ref !== null) {
    if (!isPlainObject(ref)) errs.push(fieldInvalid('spec.boundObjectRef', ref, 'must be an object'));
    else if (!BOUND_KINDS.has(ref.kind as string)) errs.push(fieldNotSupported('spec.boundObjectRef.kind', ref.kind ?? '', [...BOUND_KINDS.keys()]));
    else if (typeof ref.name !== 'string' || !ref.name) errs.push(fieldInvalid('spec.boundObjectRef.name', ref.name ?? '', 'must be set'));
  }
  return errs;
}

/**
 * `POST .../serviceaccounts/{name}/token` (`kubectl create token`): a bound token for the
 * ServiceAccount, optionally bound to a pod or secret of its namespace, valid for the requested
 * audiences (the cluster's API when none) and duration (an hour by default, at least ten minutes).
 */
export async function handleTokenRequest(req: KubeRequest, body: unknown): Promise<KubeResponse> {
  const minter = req.deps.serviceAccountTokens;
  if (!minter) throw serviceUnavailable('ServiceAccount tokens are not available on this server', 5);
  if (!isPlainObject(body)) throw badRequest('the body of the request must be a TokenRequest object');
  const request = body as KubeObject;
  const rawSpec: unknown = request.spec ?? {};
  if (!isPlainObject(rawSpec)) throw invalid(TOKEN_REQUEST, req.name!, [fieldInvalid('spec', rawSpec, 'must be an object')]);
  const errs = validate(rawSpec);
  if (errs.length) throw invalid(TOKEN_REQUEST, req.name!, errs);
  // `validate` checked every field this reads.
  const spec = rawSpec as TokenRequestSpec;
  const namespace = req.namespace!;
  const sa = await req.deps.store.get(req.clusterId, 'serviceaccounts', namespace, req.name!);
  if (!sa || sa.metadata.deletionTimestamp) throw notFound({ plural: 'serviceaccounts', group: '', kind: 'ServiceAccount' }, req.name!);
  let boundObject: { kind: 'Pod' | 'Secret'; name: string; uid: string } | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    const resource = BOUND_KINDS.get(ref.kind)!;
    const obj = await req.deps.store.get(req.clusterId, resource, namespace, ref.name);
    if (!obj) throw notFound({ plural: resource, group: '', kind: ref.kind }, ref.name);
    if (ref.uid && ref.uid !== obj.metadata.uid) {
      throw conflict(
        { plural: resource, group: '', kind: ref.kind },
        ref.name,
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    boundObject = { kind: ref.kind, name: ref.name, uid: obj.metadata.uid! };
  }
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_SECONDS;
  const audiences: string[] = spec.audiences ?? [];
  const { token, expiresAt } = await minter.mint({
    tenantId: req.cluster.tenantId,
    clusterId: req.clusterId,
    namespace,
    serviceAccount: { name: sa.metadata.name!, uid: sa.metadata.uid! },
    boundObject,
    audiences,
    expirationSeconds,
    apiKeyId: req.principal.apiKeyId,
  });
  return json(201, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name: sa.metadata.name, namespace, creationTimestamp: null },
    spec: {
      audiences: audiences.length ? audiences : ServiceAccountTokens.defaultAudiences(req.clusterId),
      expirationSeconds,
      boundObjectRef: spec.boundObjectRef ?? null,
    },
    status: { token, expirationTimestamp: isoTime(expiresAt) },
  });
}
