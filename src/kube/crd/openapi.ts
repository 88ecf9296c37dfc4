import type { GroupVersionKind } from '../registry/types.ts';
import type { SchemaNode } from './structural.ts';

const API_VERSION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The definition name upstream gives a custom kind: the group reversed, then version and kind (`com.example.stable.v1.CronTab`). */
export function customSchemaName(gvk: GroupVersionKind): string {
  return [...gvk.group.split('.').reverse(), gvk.version, gvk.kind].join('.');
}

/**
 * A CRD version's schema as the API server publishes it (OpenAPI v3 form): the user's schema with
 * the type meta and a reference to ObjectMeta added, and the kind it describes.
 */
export function customResourceOpenapi(gvk: GroupVersionKind, schema: SchemaNode): Record<string, unknown> {
  const own = structuredClone(schema);
  const props = { ...(own.properties ?? {}) } as Record<string, unknown>;
  props.apiVersion = { description: API_VERSION, type: 'string' };
  props.kind = { description: KIND, type: 'string' };
  props.metadata = { allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }], description: METADATA };
  return { ...own, type: 'object', properties: props, 'x-kubernetes-group-version-kind': [{ ...gvk }] };
}
