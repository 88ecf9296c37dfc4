import type { KubeObject } from '../types.ts';
import type { FieldError } from '../status.ts';
import type { NameRule } from '../validation/names.ts';
import type { Printer } from '../tables/format.ts';
import type { FieldGetter } from '../selectors/fields.ts';
import type { ObjectStore } from '../../store/objects.ts';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const READ_VERBS: Verb[] = ['get', 'list', 'watch'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceDef {
  name: 'status' | 'scale' | 'log' | 'eviction' | 'binding' | 'finalize' | 'ephemeralcontainers' | 'token' | 'exec' | 'attach' | 'portforward';
  responseKind: GroupVersionKind;
  verbs: Verb[];
}

/** Where a kind keeps its replica count, for the scale subresource. */
export interface ScaleDef {
  /** The label selector in string form, as Scale `status.selector` reports it. */
  selector(obj: KubeObject): string;
  /** Where the counts live when not at `.spec.replicas` / `.status.replicas` (custom resources' scale subresource). */
  specReplicasPath?: string;
  statusReplicasPath?: string;
}

/** What a CustomResourceDefinition's structural schema adds to one served version. */
export interface CustomResourceSchema {
  /** The version's OpenAPI v3 schema as `/openapi` serves it (type meta and metadata added). */
  openapi: Record<string, unknown>;
  /** Prunes unknown fields and applies defaults, in place; returns the unknown fields it dropped. */
  normalize(obj: KubeObject): string[];
}

/** How objects of one served version relate to the stored form (HPA v1 over the v2 storage). */
export interface VersionConverter {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/** What a read-time view may consult: the cluster's objects and its clock reading for this request. */
export interface ReadViewContext {
  store: ObjectStore;
  clusterId: string;
  /** The request's namespace; undefined for cluster-wide reads. */
  namespace?: string;
  now: number;
}

/** Turns a stored object into what readers see now (the stored object itself when nothing is derived). */
export type ReadView = (stored: KubeObject) => KubeObject;

/**
 * One served resource: everything the API needs to route, default, validate, print and
 * describe it. Several served versions may share one storage key (`storage`).
 */
export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: Verb[];
  subresources?: SubresourceDef[];
  /** The ObjectStore key (`plural[.group]`); the same for all versions of a resource. */
  storage: string;
  nameRule: NameRule;
  printer?: Printer;
  /** API defaulting, applied on every write of the main resource. Mutates. */
  defaults?(obj: KubeObject): void;
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
  /** Extra selectable fields beyond metadata.name/namespace. */
  fieldSelectors?: Record<string, FieldGetter>;
  convert?: VersionConverter;
  scale?: ScaleDef;
  /** Top-level fields owned by the status subresource (default: `status`). Kinds without one have none. */
  statusFields?: string[];
  /** Not stored: only POST is served and answered by a handler (reviews). */
  virtual?: boolean;
  /** Kinds whose create must know the uid up front (Job selectors). */
  needsUidBeforeCreate?: boolean;
  /**
   * Fields served from the cluster clock instead of stored (a healthy node's heartbeats): prepared
   * once per get, list or watch delivery, applied to every object it returns. The resourceVersion
   * does not move when such a field does, as nothing was written.
   */
  readView?(ctx: ReadViewContext): Promise<ReadView> | ReadView;
  /** Kinds served from a CustomResourceDefinition: their schema-driven pruning, defaulting and OpenAPI. */
  custom?: CustomResourceSchema;
  /** How often (cluster-clock ms) the derived fields move: open watches re-send changed objects at this pace. */
  readViewPeriodMs?: number;
}

export function gvString(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
