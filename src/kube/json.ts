/**
 * The fields of a JSON value nothing has checked yet, for reading a request body field by field:
 * an object reads as its own fields, anything else (null, undefined, a string or number) as none,
 * the same as optional chaining (`v?.field`) on the raw value reads them.
 */
export function fieldsOf(v: unknown): Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : NONE;
}

const NONE: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null));
