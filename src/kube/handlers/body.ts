import { parse as parseYaml } from 'yaml';
import { badRequest, failure, tooLarge } from '../status.ts';
import { decodeProtobufBody, isProtobuf } from '../protobuf/decode.ts';
import { decodeUtf8, nestsDeeperThan, shapeProblem, yamlNestsDeeperThan } from '../../lib/body-shape.ts';

/** The request body limit: etcd's default request size limit (`--max-request-bytes`, 1.5 MiB). */
export const MAX_BODY_BYTES = 1.5 * 1024 * 1024;

/** Nesting allowed in a body; the deepest built-in object (a CronJob's pod affinity) needs about 25. */
export const MAX_NESTING = 256;

export async function readBodyBytes(raw: Request): Promise<Uint8Array> {
  const declared = Number(raw.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge(MAX_BODY_BYTES);
  // A declared length bounds what HTTP delivers: read it in one go (the Node adapter then skips
  // building a stream). Chunked bodies are counted as they come.
  if (declared > 0 && !raw.headers.has('transfer-encoding')) return new Uint8Array(await raw.arrayBuffer());
  if (!raw.body) return new Uint8Array();
  const reader = raw.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Stop reading but leave the stream be: cancelling it resets the connection before the client reads the 413.
    if (total > MAX_BODY_BYTES) throw tooLarge(MAX_BODY_BYTES);
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

export function mediaType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

/** A text body; bytes that are not UTF-8 are refused rather than replaced with U+FFFD. */
export function bodyText(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw badRequest('the request body is not valid UTF-8');
  return text;
}

/** Refuses a parsed body nested too deeply or carrying keys that reach an object's prototype. */
export function checkBodyShape(value: unknown): void {
  const problem = shapeProblem(value, MAX_NESTING);
  if (problem?.kind === 'depth') throw tooDeep();
  if (problem?.kind === 'prototype-key')
    throw badRequest(`the request body may not use the field name "${problem.path.split('.').pop()}" (at ${problem.path})`);
}

const tooDeep = () => badRequest(`the request body nests deeper than ${MAX_NESTING} levels`);

/** Parses JSON text once its nesting is known to be bounded, then checks the result's shape (SyntaxError when malformed). */
export function parseJsonBody(text: string): unknown {
  if (nestsDeeperThan(text, MAX_NESTING)) throw tooDeep();
  const value: unknown = JSON.parse(text);
  checkBodyShape(value);
  return value;
}

/** Decodes a JSON, YAML or Kubernetes-protobuf body into a plain object. */
export function decodeBody(bytes: Uint8Array, contentType: string): unknown {
  const media = mediaType(contentType);
  if (isProtobuf(media)) {
    const decoded = decodeProtobufBody(bytes);
    checkBodyShape(decoded);
    return decoded;
  }
  const text = bodyText(bytes);
  if (text.trim() === '') throw badRequest('request body must not be empty');
  if (media.endsWith('yaml')) return parseYamlBody(text, 'error converting YAML to JSON');
  try {
    return parseJsonBody(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // Other clients send YAML with a JSON content type now and then; accept it as the API server does.
    let y: unknown;
    try {
      y = parseYamlBody(text, '');
    } catch {
      /* fall through to the JSON error */
    }
    if (typeof y === 'object' && y !== null) return y;
    throw failure(400, 'BadRequest', `couldn't get version/kind; json parse error: ${e.message}`);
  }
}

/** YAML text as a value; the yaml library's errors become 400s that start with `prefix`. */
export function parseYamlBody(text: string, prefix: string): unknown {
  if (yamlNestsDeeperThan(text, MAX_NESTING)) throw tooDeep();
  let value: unknown;
  try {
    // Duplicate keys: the last one wins, as in JSON.parse (the yaml library's check is quadratic in a map's size).
    value = parseYaml(text, { uniqueKeys: false });
  } catch (e) {
    throw badRequest(`${prefix}: ${(e as Error).message}`);
  }
  checkBodyShape(value);
  return value;
}
