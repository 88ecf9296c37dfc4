/** One field problem, in the shape of a Kubernetes Status `details.causes[]` entry. */
export interface FieldCause {
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueNotSupported' | 'FieldValueForbidden';
  message: string;
  field: string;
}

/**
 * A 422 Invalid answer about an object, e.g.
 * `Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`.
 * The Kubernetes API maps it to a Status with `reason: Invalid` and these causes.
 */
export class InvalidObjectError extends Error {
  readonly code = 422;
  readonly reason = 'Invalid';
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly causes: FieldCause[],
    readonly group = '',
  ) {
    const qualified = group ? `${kind}.${group}` : kind;
    const detail = causes.length === 1 ? `${causes[0].field}: ${causes[0].message}` : `[${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}]`;
    super(`${qualified} "${objectName}" is invalid: ${detail}`);
    this.name = 'InvalidObjectError';
  }
}

export function invalidValue(field: string, value: unknown, detail: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${formatValue(value)}: ${detail}` };
}

/** Kubernetes prints strings quoted and arrays of strings as ["a"], numbers bare. */
function formatValue(v: unknown): string {
  return JSON.stringify(v).replace(/,/g, ', ');
}
