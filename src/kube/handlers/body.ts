import { parse as parseYaml } from 'yaml';
import { badRequest, failure, tooLarge } from '../status.ts';
import { decodeProtobufBody, isProtobuf } from '../protobuf/decode.ts';

/** The request body limit: etcd's 1.5 MiB object limit plus room for encoding overhead. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBodyBytes(raw: Request): Promise<Uint8Array> {
  const declared = Number(raw.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!raw.body) return new Uint8Array();
  const reader = raw.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
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

/** Decodes a JSON, YAML or Kubernetes-protobuf body into a plain object. */
export function decodeBody(bytes: Uint8Array, contentType: string): unknown {
  const media = mediaType(contentType);
  if (isProtobuf(media)) return decodeProtobufBody(bytes);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') throw badRequest('request body must not be empty');
  if (media.endsWith('yaml')) {
    try {
      return parseYaml(text);
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    // Other clients send YAML with a JSON content type now and then; accept it as the API server does.
    try {
      const y = parseYaml(text);
      if (typeof y === 'object' && y !== null) return y;
    } catch {
      /* fall through to the JSON error */
    }
    throw failure(400, 'BadRequest', `couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
