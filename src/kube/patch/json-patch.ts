import fastJsonPatch, { type Operation } from 'fast-json-patch';

// The package is CommonJS for Node's ESM loader: take the functions off its default export.
const { applyPatch, JsonPatchError } = fastJsonPatch;

export class JsonPatchFailure extends Error {}

/** JSON patch (RFC 6902) applied to a copy; a failing op (test, missing path) rejects the whole patch. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new JsonPatchFailure('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    return applyPatch(structuredClone(doc), ops as Operation[], true, false).newDocument;
  } catch (err) {
    if (err instanceof JsonPatchError) {
      const op = err.operation as Operation | undefined;
      if (err.name === 'TEST_OPERATION_FAILED') throw new JsonPatchFailure(`testing value ${op?.path} failed: test failed`);
      if (err.name === 'OPERATION_PATH_UNRESOLVABLE') throw new JsonPatchFailure(`${op?.op} operation does not apply: doc is missing path: "${op?.path}": missing value`);
      throw new JsonPatchFailure(err.message.split('\n')[0]);
    }
    throw err;
  }
}
