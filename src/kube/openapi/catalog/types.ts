/**
 * A compact description of API types for OpenAPI output (`kubectl explain`) and strict field
 * validation. Field types: `string`, `integer`, `boolean`, `number`, `object` (free-form),
 * `Quantity`, `IntOrString`, `Time`, `map[string]<type>`, `[]<type>`, or another type's name.
 */
export interface TypeDef {
  description: string;
  fields: Record<string, [type: string, description: string]>;
  required?: string[];
  /** Fields are not all listed: unknown ones are not reported by strict validation. */
  open?: boolean;
  /** The schema's package path, e.g. `io.k8s.api.core.v1`. */
  pkg: string;
}

export type Catalog = Record<string, TypeDef>;
