/**
 * The fields of a JSON value nothing has checked yet, for reading a request body field by field.
 * `fieldsOf(v)[key]` reads exactly what `v?.[key]` reads on the raw value: an object's own fields,
 * a string's characters, nothing for null or undefined.
 */
export function fieldsOf(v: unknown): Readonly<Record<string, unknown>> {
  return v === null || v === undefined ? NONE : (Object(v) as Record<string, unknown>);
}

/** A JSON value as a list: itself when it is an array, else no items. */
export function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

const NONE: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null));
