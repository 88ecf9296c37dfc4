/** Plain Kubernetes object shapes. Objects are stored as JSON documents, so fields this
 * project does not model are kept as they come. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

/**
 * A field as it comes out of a JSON document, before anything says which kind it belongs to. It is
 * the one `any` of the object model: code that knows the kind uses the named types of
 * `./objects.ts` (upstream's spec and status), and the rest reads documents through this default.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonField = any;

/** A stored object; `Spec` and `Status` name its kind's fields (see `./objects.ts`). */
export interface KubeObject<Spec = JsonField, Status = JsonField> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  /** The resource key, e.g. `pods` or `deployments.apps`. */
  resource: string;
  resourceVersion: number;
  object: KubeObject;
}
