import { StoreError } from '../store/errors.ts';

/** A field-level cause, as in `details.causes[]` of a Kubernetes Status. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that answers with a Kubernetes Status object. */
export class KubeError extends Error {
  readonly headers: Record<string, string> = {};
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'KubeError';
  }
  get code(): number {
    return this.status.code;
  }
}

/** Who the message is about: `pods`, `deployments.apps` and the Kind for Invalid. */
export interface Subject {
  plural: string;
  group: string;
  kind: string;
}

export function qualifiedResource(s: { plural: string; group: string }): string {
  return s.group ? `${s.plural}.${s.group}` : s.plural;
}

function qualifiedKind(s: { kind: string; group: string }): string {
  return s.group ? `${s.kind}.${s.group}` : s.kind;
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): KubeError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new KubeError(status);
}

export const notFound = (s: Subject, name: string) =>
  failure(404, 'NotFound', `${qualifiedResource(s)} "${name}" not found`, { name, group: s.group || undefined, kind: s.plural });

export const alreadyExists = (s: Subject, name: string) =>
  failure(409, 'AlreadyExists', `${qualifiedResource(s)} "${name}" already exists`, { name, group: s.group || undefined, kind: s.plural });

export const conflict = (s: Subject, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(s)} "${name}": ${why}`, { name, group: s.group || undefined, kind: s.plural });

export const badRequest = (message: string) => failure(400, 'BadRequest', message);

export const methodNotAllowed = () => failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized');

export const gone = (message: string) => failure(410, 'Expired', message);

/** 413; the unread rest of the body makes the connection unusable, so the answer closes it (as Go's server does). */
export function tooLarge(limit: number): KubeError {
  const err = failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  err.headers.Connection = 'close';
  return err;
}

/** 415; `strategic` is false for custom resources, which take no strategic merge patch. */
export const unsupportedMediaType = (contentType: string, strategic = true) =>
  failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${strategic ? ', application/strategic-merge-patch+json' : ''} (got ${contentType})`,
  );

/**
 * 500 for a fault of the server. The error's own message may carry SQL, paths or other tenants'
 * names, so it goes to the log and the client gets the request id to quote instead.
 */
export const internalError = (requestId?: string) =>
  failure(500, 'InternalError', `Internal error occurred: the server could not complete the request${requestId ? ` (request id ${requestId})` : ''}`);

/** 503 while Redis or the database is down, as an API server answers when etcd is unavailable. */
export function serviceUnavailable(message: string, retryAfterSeconds: number): KubeError {
  const err = failure(503, 'ServiceUnavailable', message, { retryAfterSeconds });
  err.headers['Retry-After'] = String(retryAfterSeconds);
  return err;
}

export function tooManyRequests(message: string, retryAfterSeconds: number, causes?: StatusCause[]): KubeError {
  const err = failure(429, 'TooManyRequests', message, { retryAfterSeconds, ...(causes ? { causes } : {}) });
  err.headers['Retry-After'] = String(retryAfterSeconds);
  return err;
}

/** 403 as RBAC words it: `pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbidden(
  user: string,
  verb: string,
  s: { plural: string; group: string },
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): KubeError {
  const res = subresource ? `${s.plural}/${subresource}` : s.plural;
  const subject = name ? `${qualifiedResource(s)} "${name}"` : qualifiedResource(s);
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return failure(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${res}" in API group "${s.group}" ${scope}`, {
    ...(name ? { name } : {}),
    group: s.group || undefined,
    kind: s.plural,
  });
}

/** 403 from an admission rule (quota, terminating namespace...). */
export function admissionForbidden(s: Subject, name: string, why: string): KubeError {
  return failure(403, 'Forbidden', `${qualifiedResource(s)} "${name}" is forbidden: ${why}`, { name, group: s.group || undefined, kind: s.plural });
}

/** A validation failure of one field, worded like apimachinery's field.Error. */
export interface FieldError {
  type:
    | 'FieldValueInvalid'
    | 'FieldValueRequired'
    | 'FieldValueDuplicate'
    | 'FieldValueNotSupported'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTooMany'
    | 'FieldValueTypeInvalid'
    | 'FieldValueNotFound';
  field: string;
  value?: unknown;
  detail?: string;
  supported?: string[];
  /** apimachinery's field.OmitValueType: the message names no value. */
  omitValue?: boolean;
}

export const fieldInvalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const fieldRequired = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const fieldForbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const fieldDuplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const fieldNotFound = (field: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field, value });
/** A list longer than allowed: `Too many: 21: must have at most 20 items`. */
export const fieldTooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  value: actual,
  detail: `must have at most ${max} items`,
});
export const fieldNotSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  supported,
});

function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `spec.replicas: Invalid value: -1: must be greater than or equal to 0` */
export function fieldErrorMessage(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueInvalid':
      if (e.omitValue) return `${e.field}: Invalid value${e.detail ? `: ${e.detail}` : ''}`;
      return `${e.field}: Invalid value: ${renderValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueRequired':
      return `${e.field}: Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueDuplicate':
      return `${e.field}: Duplicate value: ${renderValue(e.value)}`;
    case 'FieldValueForbidden':
      return `${e.field}: Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotFound':
      return `${e.field}: Not found: ${renderValue(e.value)}`;
    case 'FieldValueTooLong':
      return `${e.field}: Too long: ${e.detail ?? ''}`;
    case 'FieldValueTooMany':
      return `${e.field}: Too many: ${renderValue(e.value)}: ${e.detail ?? ''}`;
    case 'FieldValueTypeInvalid':
      return `${e.field}: Invalid value: ${renderValue(e.value)}: ${e.detail ?? ''}`;
    case 'FieldValueNotSupported':
      return `${e.field}: Unsupported value: ${renderValue(e.value)}${e.supported?.length ? `: supported values: ${e.supported.map((s) => `"${s}"`).join(', ')}` : ''}`;
  }
}

/** 422: `Deployment.apps "x" is invalid: spec.replicas: Invalid value: -1: must be ...` (several errors are bracketed). */
export function invalid(s: Subject, name: string, errors: FieldError[]): KubeError {
  const msgs = errors.map(fieldErrorMessage);
  const joined = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  return failure(422, 'Invalid', `${qualifiedKind(s)} "${name}" is invalid: ${joined}`, {
    name,
    group: s.group || undefined,
    kind: s.kind,
    causes: errors.map((e, i) => ({ reason: e.type, message: msgs[i].slice(e.field.length + 2), field: e.field })),
  });
}

/** Maps store failures onto the Status a real API server would answer. */
export function fromStoreError(err: StoreError, s: Subject): KubeError {
  const name = err.details.name ?? '';
  switch (err.reason) {
    case 'NotFound':
      return notFound(s, name);
    case 'AlreadyExists':
      return alreadyExists(s, name);
    case 'Conflict':
      if (err.message.startsWith('Precondition failed')) return conflict(s, name, err.message);
      return conflict(s, name);
    case 'Gone':
      return gone(err.message);
    case 'Forbidden':
      return failure(403, 'Forbidden', err.message, { name, group: s.group || undefined, kind: s.plural });
  }
}

export function successStatus(details: StatusDetails): Status & { status: 'Success' } {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}
