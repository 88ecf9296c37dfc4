import { fieldsOf, listOf } from '../json.ts';
import type { KubeObject } from '../types.ts';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';
import { quantityValue as parseQuantity, quantityProblem } from '../../lib/quantity.ts';
import { isDns1123Label, LABEL_MSG, qualifiedNameProblems } from './names.ts';
import { validateQuotaScopes } from './quota-scopes.ts';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateService(svc: KubeObject, old?: KubeObject): FieldError[] {
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  const type = s.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) errs.push(fieldNotSupported('spec.type', type, SERVICE_TYPES));
  const ports = listOf(s.ports);
  const headless = s.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (!s.externalName) errs.push(fieldRequired('spec.externalName'));
  } else if (ports.length === 0 && !headless) {
    errs.push(fieldRequired('spec.ports'));
  }
  const names = new Set<string>();
  ports.forEach((raw, i) => {
    const p = fieldsOf(raw);
    const path = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(fieldRequired(`${path}.name`));
    if (p.name) {
      if (!isDns1123Label(p.name as string)) errs.push(fieldInvalid(`${path}.name`, p.name, LABEL_MSG));
      if (names.has(p.name as string)) errs.push(fieldDuplicate(`${path}.name`, p.name));
      names.add(p.name as string);
    }
    if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) errs.push(fieldInvalid(`${path}.port`, p.port, 'must be between 1 and 65535, inclusive'));
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol as string)) errs.push(fieldNotSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
    if (p.nodePort !== undefined && p.nodePort !== 0 && type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(fieldForbidden(`${path}.nodePort`, `may not be used when \`type\` is '${type}'`));
    }
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535)) {
      errs.push(fieldInvalid(`${path}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
    }
  });
  const sa = s.sessionAffinity;
  if (sa !== undefined && sa !== 'None' && sa !== 'ClientIP') errs.push(fieldNotSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  if (s.selector !== undefined && (typeof s.selector !== 'object' || Array.isArray(s.selector)))
    errs.push(fieldInvalid('spec.selector', s.selector, 'must be a map'));
  if (
    old &&
    old.spec?.clusterIP &&
    old.spec.type !== 'ExternalName' &&
    type !== 'ExternalName' &&
    s.clusterIP !== undefined &&
    s.clusterIP !== old.spec.clusterIP
  ) {
    errs.push(fieldInvalid('spec.clusterIPs[0]', s.clusterIP, 'may not change once set'));
  }
  return errs;
}

const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

function validateConfigKeys(obj: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of fields) {
    for (const k of Object.keys(obj[f] ?? {})) {
      if (k.length > 253 || !CONFIG_KEY_RE.test(k)) {
        errs.push(
          fieldInvalid(
            `${f}[${k}]`,
            k,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
      }
    }
  }
  return errs;
}

/** Upstream's MaxSecretSize: the data of a ConfigMap or a Secret, in bytes. */
export const MAX_DATA_BYTES = 1024 * 1024;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextEncoder();

/** Bytes a base64 string decodes to. */
function decodedLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

const tooLong = (field: string): FieldError => ({ type: 'FieldValueTooLong', field, detail: `must have at most ${MAX_DATA_BYTES} bytes` });

export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errs = validateConfigKeys(cm, ['data', 'binaryData']);
  const binary = (cm.binaryData as Record<string, unknown>) ?? {};
  let size = 0;
  for (const [k, v] of Object.entries((cm.data as Record<string, unknown>) ?? {})) {
    if (Object.hasOwn(binary, k)) errs.push(fieldInvalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    if (typeof v === 'string') size += utf8.encode(v).byteLength;
  }
  for (const [k, v] of Object.entries(binary)) {
    if (typeof v !== 'string' || !BASE64_RE.test(v)) errs.push(fieldInvalid(`binaryData[${k}]`, '<binary data>', 'illegal base64 data'));
    else size += decodedLength(v);
  }
  if (size > MAX_DATA_BYTES) errs.push(tooLong('data'));
  return errs;
}

export function validateSecret(secret: KubeObject): FieldError[] {
  const errs = validateConfigKeys(secret, ['data']);
  let size = 0;
  for (const [k, v] of Object.entries((secret.data as Record<string, unknown>) ?? {})) {
    if (typeof v !== 'string' || !BASE64_RE.test(v)) errs.push(fieldInvalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    else size += decodedLength(v);
  }
  if (size > MAX_DATA_BYTES) errs.push(tooLong('data'));
  return errs;
}

function validateStorageRequest(v: unknown, path: string): FieldError[] {
  if (v === undefined) return [fieldRequired(path)];
  const problem = quantityProblem(v);
  if (problem) return [fieldInvalid(path, v, problem)];
  if (parseQuantity(v)! <= 0) return [fieldInvalid(path, v, 'must be greater than zero')];
  return [];
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: unknown, path: string): FieldError[] {
  if (!Array.isArray(modes) || modes.length === 0) return [fieldRequired(path, 'at least 1 access mode is required')];
  return modes.filter((m) => !ACCESS_MODES.includes(m)).map((m) => fieldNotSupported(path, m, ACCESS_MODES));
}

export function validatePersistentVolumeClaim(pvc: KubeObject, old?: KubeObject): FieldError[] {
  const s = pvc.spec ?? {};
  const errs = [
    ...validateAccessModes(s.accessModes, 'spec.accessModes'),
    ...validateStorageRequest(s.resources?.requests?.storage, 'spec.resources[storage]'),
  ];
  if (old && old.status?.phase === 'Bound') {
    const a = parseQuantity(s.resources?.requests?.storage) ?? 0;
    const b = parseQuantity(old.spec?.resources?.requests?.storage) ?? 0;
    if (a < b) errs.push(fieldForbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  }
  return errs;
}

export function validatePersistentVolume(pv: KubeObject): FieldError[] {
  const s = pv.spec ?? {};
  return [...validateAccessModes(s.accessModes, 'spec.accessModes'), ...validateStorageRequest(s.capacity?.storage, 'spec.capacity[storage]')];
}

function validateResourceList(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries((list as Record<string, unknown>) ?? {})) {
    const problem = quantityProblem(v);
    if (problem) errs.push(fieldInvalid(`${path}[${k}]`, v, problem));
  }
  return errs;
}

export function validateResourceQuota(q: KubeObject): FieldError[] {
  return [...validateResourceList(q.spec?.hard, 'spec.hard'), ...validateQuotaScopes(q.spec)];
}

export function validateLimitRange(lr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  (lr.spec?.limits ?? []).forEach((raw: unknown, i: number) => {
    const item = fieldsOf(raw);
    const p = `spec.limits[${i}]`;
    if (!['Container', 'Pod', 'PersistentVolumeClaim'].includes(item.type as string))
      errs.push(fieldNotSupported(`${p}.type`, item.type, ['Container', 'PersistentVolumeClaim', 'Pod']));
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) errs.push(...validateResourceList(item[f], `${p}.${f}`));
  });
  return errs;
}

export function validateNamespace(ns: KubeObject): FieldError[] {
  return (ns.spec?.finalizers ?? [])
    .filter((f: unknown) => typeof f !== 'string' || !/^([a-z0-9.-]+\/)?[a-z0-9A-Z._-]+$/.test(f))
    .map((f: unknown) => fieldInvalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
}

export function validateStorageClass(sc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(fieldRequired('provisioner'));
  else for (const m of qualifiedNameProblems(String(sc.provisioner).toLowerCase())) errs.push(fieldInvalid('provisioner', sc.provisioner, m));
  const rp = sc.reclaimPolicy;
  if (rp !== undefined && rp !== 'Delete' && rp !== 'Retain') errs.push(fieldNotSupported('reclaimPolicy', rp, ['Delete', 'Retain']));
  const bm = sc.volumeBindingMode;
  if (bm !== undefined && bm !== 'Immediate' && bm !== 'WaitForFirstConsumer')
    errs.push(fieldNotSupported('volumeBindingMode', bm, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}
