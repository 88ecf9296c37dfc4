import fastJsonPatch, { type Operation } from 'fast-json-patch';

// The package is CommonJS for Node's ESM loader: take the functions off its default export.
const { applyPatch, JsonPatchError } = fastJsonPatch;

export class JsonPatchFailure extends Error {}

/** JSON patch (RFC 6902) applied to a copy; a failing op (test, missing path) rejects the whole patch. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new JsonPatchFailure('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const op of ops as Partial<Operation & { from: unknown }>[]) {
    // RFC 6902 §4.4: moving a value into itself would make the document contain itself.
    if (op?.op === 'move' && typeof op.from === 'string' && typeof op.path === 'string' && op.path.startsWith(`${op.from}/`)) {
      throw new JsonPatchFailure(`move operation does not apply: "from" (${op.from}) is a proper prefix of "path" (${op.path})`);
    }
  }
  try {
    return applyPatch(structuredClone(doc), ops as Operation[], true, false).newDocument;
  } catch (err) {
    if (err instanceof JsonPatchError) {
      const op = err.operation as Operation | undefined;
      if (err.name === 'TEST_OPERATION_FAILED') throw new JsonPatchFailure(`testing value ${op?.path} failed: test failed`);
      if (err.name === 'OPERATION_PATH_UNRESOLVABLE')
        throw new JsonPatchFailure(`${op?.op} operation does not apply: doc is missing path: "${op?.path}": missing value`);
      throw new JsonPatchFailure(err.message.split('\n')[0]);
    }
    // The library trips over documents its ops made impossible (an add below a removed root).
    if (err instanceof TypeError) throw new JsonPatchFailure(`the patch cannot be applied: ${err.message}`);
    throw err;
  }
}
