import type { KubeObject } from '../types.ts';
import type { ResourceDef, SubresourceDef } from '../registry/types.ts';
import { resource, statusSub } from '../registry/helpers.ts';
import { isPlainObject } from '../patch/merge.ts';
import { applyDefaults, prune, type SchemaNode } from './structural.ts';
import { SchemaValidator } from './schema-validation.ts';
import { customResourcePrinter, firstValue, type PrinterColumn } from './printer.ts';
import { customResourceOpenapi } from './openapi.ts';

export const CRD_RESOURCE = 'customresourcedefinitions.apiextensions.k8s.io';

/** The parts of a CustomResourceDefinition version this server uses. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: SchemaNode };
  subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

/**
 * Kubernetes' version priority: GA before beta before alpha, higher numbers first, then any other
 * name alphabetically. The first served version is the group's preferred one.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return { rank: 3, major: 0, minor: 0 };
    return { rank: m[2] === 'beta' ? 1 : m[2] === 'alpha' ? 2 : 0, major: Number(m[1]), minor: Number(m[3] ?? 0) };
  };
  const x = parse(a);
  const y = parse(b);
  if (x.rank !== y.rank) return x.rank - y.rank;
  if (x.rank === 3) return a < b ? -1 : a > b ? 1 : 0;
  if (x.major !== y.major) return y.major - x.major;
  return y.minor - x.minor;
}

function isEstablished(crd: KubeObject): boolean {
  return (crd.status?.conditions ?? []).some((c: { type?: string; status?: string }) => c.type === 'Established' && c.status === 'True');
}

function scaleOf(scale: NonNullable<CrdVersion['subresources']>['scale']): ResourceDef['scale'] {
  if (!scale) return undefined;
  return {
    specReplicasPath: scale.specReplicasPath,
    statusReplicasPath: scale.statusReplicasPath,
    selector(obj) {
      if (!scale.labelSelectorPath) return '';
      const v = firstValue(obj, scale.labelSelectorPath);
      return typeof v === 'string' ? v : '';
    },
  };
}

/** One served version of an established CRD as a resource of the registry. */
function versionResource(crd: KubeObject, v: CrdVersion, storageVersion: string): ResourceDef {
  const { group, names, scope } = crd.spec as { group: string; names: CrdNames; scope: string };
  const gvk = { group, version: v.name, kind: names.kind };
  const subresources: SubresourceDef[] = [];
  if (v.subresources?.status) subresources.push(statusSub(gvk));
  if (v.subresources?.scale)
    subresources.push({ name: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  const schema = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const validator = new SchemaValidator(schema);
  const normalize = (obj: KubeObject): string[] => {
    const dropped = prune(obj, schema);
    applyDefaults(obj, schema);
    return dropped;
  };
  return resource({
    group,
    version: v.name,
    kind: names.kind,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: scope !== 'Cluster',
    ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
    ...(names.categories?.length ? { categories: names.categories } : {}),
    subresources,
    printer: customResourcePrinter(v.additionalPrinterColumns),
    defaults: (obj) => void normalize(obj),
    validate: (obj) => validator.validate(obj),
    scale: scaleOf(v.subresources?.scale),
    custom: { openapi: customResourceOpenapi(gvk, schema), normalize },
    // Versions share one storage: with the None strategy only apiVersion differs.
    ...(v.name === storageVersion ? {} : { convert: { toStorage: (o: KubeObject) => o, fromStorage: (o: KubeObject) => o } }),
  });
}

/** The resources an established CRD serves, preferred version first; none while it is not established. */
export function crdResources(crd: KubeObject): ResourceDef[] {
  if (!isEstablished(crd) || !isPlainObject(crd.spec) || !Array.isArray(crd.spec.versions)) return [];
  const versions = (crd.spec.versions as CrdVersion[]).filter((v) => v.served).sort((a, b) => compareKubeVersions(a.name, b.name));
  const storage = (crd.spec.versions as CrdVersion[]).find((v) => v.storage)?.name;
  if (!storage) return [];
  return versions.map((v) => versionResource(crd, v, storage));
}
