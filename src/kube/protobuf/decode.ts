import pb from 'protobufjs/minimal.js';
import { failure } from '../status.ts';
import { MESSAGES, ROOTS, type FieldSpec, type FieldType, type Scalar } from './messages.ts';

type Obj = Record<string, unknown>;
const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

export function isProtobuf(media: string): boolean {
  return media === 'application/vnd.kubernetes.protobuf';
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const x of bytes) bin += String.fromCharCode(x);
  return btoa(bin);
}

function readScalar(r: pb.Reader, t: Scalar): unknown {
  switch (t) {
    case 'string':
      return r.string();
    case 'int32':
      return r.int32();
    case 'int64':
      return Number(r.int64().toString());
    case 'bool':
      return r.bool();
    case 'bytes':
      return toBase64(r.bytes());
    case 'double':
      return r.double();
  }
}

/** Special message shapes that are scalars in JSON. */
function finish(msg: string, o: Obj): unknown {
  switch (msg) {
    case 'Time':
      return o.seconds ? new Date((o.seconds as number) * 1000).toISOString().replace('.000Z', 'Z') : undefined;
    case 'Quantity':
      return o.string ?? '0';
    case 'IntOrString':
      return o.type === 1 ? (o.strVal ?? '') : (o.intVal ?? 0);
    case 'IngressRule': {
      // IngressRuleValue is inlined in JSON (`rule.http`), a message of its own in protobuf.
      const { ingressRuleValue, ...rest } = o;
      return { ...rest, ...((ingressRuleValue as Obj | undefined) ?? {}) };
    }
    default:
      return o;
  }
}

function readMapEntry(r: pb.Reader, value: Scalar | { msg: string }): [string, unknown] {
  const end = r.uint32() + r.pos;
  let key = '';
  let val: unknown = typeof value === 'string' ? (value === 'string' || value === 'bytes' ? '' : 0) : undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) key = r.string();
    else if (tag >>> 3 === 2) val = typeof value === 'string' ? readScalar(r, value) : readMessage(r, value.msg, r.uint32());
    else r.skipType(tag & 7);
  }
  return [key, val];
}

function isEmpty(v: unknown, spec: FieldSpec): boolean {
  if (v === undefined) return true;
  if (spec.keepZero) return false;
  return v === '' || v === 0 || v === false;
}

function readField(r: pb.Reader, spec: FieldSpec, out: Obj): void {
  const t: FieldType = spec.type;
  if (typeof t === 'object' && 'map' in t) {
    const [k, v] = readMapEntry(r, t.map);
    ((out[spec.name] ??= {}) as Obj)[k] = v;
    return;
  }
  const v = typeof t === 'string' ? readScalar(r, t) : readMessage(r, t.msg, r.uint32());
  if (spec.repeated) (out[spec.name] = (out[spec.name] as unknown[]) ?? []).push(v);
  else if (!isEmpty(v, spec)) out[spec.name] = v;
}

function readMessage(r: pb.Reader, msg: string, length: number): unknown {
  const fields = MESSAGES[msg];
  const end = r.pos + length;
  const out: Obj = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const spec = fields?.[tag >>> 3];
    const wire = tag & 7;
    if (!spec) {
      r.skipType(wire);
      continue;
    }
    // Packed repeated scalars arrive length-delimited.
    if (spec.repeated && typeof spec.type === 'string' && spec.type !== 'string' && spec.type !== 'bytes' && wire === 2) {
      const stop = r.uint32() + r.pos;
      while (r.pos < stop) readField(r, spec, out);
      continue;
    }
    readField(r, spec, out);
  }
  return finish(msg, out);
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` body: the `k8s\0` magic, a runtime.Unknown
 * envelope with the TypeMeta, and the object's own message. Returns the object as JSON would have it.
 */
export function decodeProtobufBody(bytes: Uint8Array): Obj {
  if (bytes.length < 4 || MAGIC.some((x, i) => bytes[i] !== x)) {
    throw failure(400, 'BadRequest', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const r = pb.Reader.create(bytes.subarray(4));
  const envelope = readMessage(r, 'Unknown', bytes.length - 4) as Obj;
  const typeMeta = (envelope.typeMeta ?? {}) as Obj;
  const apiVersion = String(typeMeta.apiVersion ?? '');
  const kind = String(typeMeta.kind ?? '');
  const root = ROOTS[`${apiVersion}/${kind}`];
  if (!root) {
    throw failure(
      415,
      'UnsupportedMediaType',
      `the protobuf encoding of ${kind} in version "${apiVersion}" is not supported by this server; send it as application/json (for example with kubectl apply -f)`,
    );
  }
  const raw = Uint8Array.from(atob(String(envelope.raw ?? '')), (c) => c.charCodeAt(0));
  const obj = readMessage(pb.Reader.create(raw), root, raw.length) as Obj;
  return { apiVersion, kind, ...obj };
}
