import fc from 'fast-check';

/**
 * Generators of hostile request bodies for the fuzz tests of both APIs: a valid seed with one field
 * replaced, removed or added, by values that have broken parsers, defaulting, validation or patches.
 */

export const scalar = fc.oneof(
  fc.constantFrom(
    null,
    '',
    'x',
    -1,
    0,
    1.5,
    1e308,
    -1e308,
    2 ** 63,
    '1e308',
    '1e400',
    '-5',
    '100Ei',
    '25%',
    'NaN',
    true,
    false,
    'Always',
    'TCP',
    'ReadWriteOnce',
    '10.0.0.1',
  ),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

/** Hostile values, among them objects built from `fields` (an API's field names) so they get past its first type check. */
export function hostileValues(fields: string[]): fc.Arbitrary<unknown> {
  const shaped: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, scalar, tie('object'), tie('array')),
    object: fc.dictionary(fc.constantFrom('toString', 'valueOf', ...fields), tie('value'), { maxKeys: 4, noNullPrototype: true }),
    array: fc.array(tie('value'), { maxLength: 3 }),
  })).value;
  return fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    shaped,
    fc.constantFrom(null, '', 'x', -1, 0, 1.5, 1e308, -1e308, 2 ** 63, '1e308', '1e400', '-5', '100Ei', '25%', 'NaN', true, [], {}, [null]),
    fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => JSON.parse(`{"${k}":{"polluted":"yes"}}`)),
    fc.integer({ min: 50, max: 400 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n))),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
}

/** Every path of an object, as key lists (array indexes included). */
export function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

/** A seed with one field replaced (or removed), or a field named from `extraKeys` added, holding a hostile value. */
export function mutated(seed: Record<string, unknown>, hostile: fc.Arbitrary<unknown>, extraKeys: string[]): fc.Arbitrary<unknown> {
  return fc
    .record({ pick: fc.nat(), value: hostile, remove: fc.boolean(), extraKey: fc.option(fc.constantFrom('__proto__', ...extraKeys), { nil: undefined }) })
    .map(({ pick, value, remove, extraKey }) => {
      const obj = structuredClone(seed);
      if (extraKey) {
        const paths = pathsOf(obj).filter((p) => {
          let v: unknown = obj;
          for (const k of p) v = (v as Record<string | number, unknown>)[k];
          return v !== null && typeof v === 'object' && !Array.isArray(v);
        });
        const at = paths[pick % paths.length];
        return setAt(obj, [...at, extraKey], value, false);
      }
      const paths = pathsOf(obj);
      return setAt(obj, paths[pick % paths.length], value, remove && paths[pick % paths.length].length > 0);
    });
}

/** Bytes that are not a JSON document, or barely one, or not UTF-8. */
export const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":1}{', '\u0000', 'a: [b', '{"metadata":' + '{"a":'.repeat(300) + '1' + '}'.repeat(300) + '}'),
  fc.constant(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
);
