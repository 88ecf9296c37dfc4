import type { KubeObject } from '../types.ts';
import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';
import { isPlainObject } from '../patch/merge.ts';
import { isDns1123Label, isDns1123Subdomain, nameProblems } from '../validation/names.ts';
import type { CrdVersion } from './custom-resources.ts';
import type { SchemaNode } from './structural.ts';
import { SchemaValidator } from './schema-validation.ts';
import { isValidJsonPath } from './printer.ts';

const KIND_RE = /^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$/;
const KIND_MSG = 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?';
/** Groups of the Kubernetes project itself need an approval annotation. */
const PROTECTED = /(^|\.)(k8s\.io|kubernetes\.io)$/;
const APPROVAL = 'api-approved.kubernetes.io';
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];
const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** A problem of the version list as a whole; the list itself is not repeated in the message. */
const wholeList = (detail: string): FieldError => ({ type: 'FieldValueInvalid', field: 'spec.versions', omitValue: true, detail });

const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
/** The JSON type each value keyword must have (upstream's decoder refuses others). */
const KEYWORD_TYPES: [string, (v: unknown) => boolean][] = [
  ['enum', Array.isArray],
  ['required', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')],
  ['maximum', num],
  ['minimum', num],
  ['multipleOf', (v) => num(v) && (v as number) > 0],
  ['exclusiveMaximum', (v) => typeof v === 'boolean'],
  ['exclusiveMinimum', (v) => typeof v === 'boolean'],
  ['uniqueItems', (v) => typeof v === 'boolean'],
  ['nullable', (v) => typeof v === 'boolean'],
  ['maxLength', count],
  ['minLength', count],
  ['maxItems', count],
  ['minItems', count],
  ['maxProperties', count],
  ['minProperties', count],
  ['x-kubernetes-preserve-unknown-fields', (v) => typeof v === 'boolean'],
  ['x-kubernetes-int-or-string', (v) => typeof v === 'boolean'],
  ['allOf', Array.isArray],
  ['anyOf', Array.isArray],
  ['oneOf', Array.isArray],
];

/** `properties[spec].properties[replicas]`: how upstream names a place in a schema. */
function child(path: string, key: string, sub?: string): string {
  return sub ? `${path}.${key}[${sub}]` : `${path}.${key}`;
}

/**
 * The structural-schema rules that matter to pruning and defaulting: every node has a type (or is
 * int-or-string, or keeps unknown fields), the root is an object, patterns compile, and defaults
 * sit below the root.
 */
function structuralErrors(node: unknown, path: string, root: boolean, errs: FieldError[]): void {
  if (!isPlainObject(node)) {
    errs.push(fieldInvalid(path, node, 'must be an object'));
    return;
  }
  const s = node as SchemaNode;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.type === undefined) {
    if (root) errs.push(fieldRequired(`${path}.type`, 'must not be empty at the root'));
    else if (!intOrString && !preserve) errs.push(fieldRequired(`${path}.type`, 'must not be empty for specified object fields'));
  } else if (typeof s.type !== 'string' || !TYPES.includes(s.type)) {
    errs.push(fieldNotSupported(`${path}.type`, s.type, TYPES));
  } else if (root && s.type !== 'object') {
    errs.push(fieldInvalid(`${path}.type`, s.type, 'must be object at the root'));
  }
  for (const [k, ok] of KEYWORD_TYPES) if (s[k] !== undefined && !ok(s[k])) errs.push(fieldInvalid(`${path}.${k}`, s[k], 'has the wrong type'));
  if (root && s.default !== undefined) errs.push({ type: 'FieldValueForbidden', field: `${path}.default`, detail: 'must not be set at the root' });
  if (s.pattern !== undefined) {
    try {
      if (typeof s.pattern !== 'string') throw new Error('not a string');
      // RE2's inline flags have no JavaScript form: such a pattern is accepted (and not checked).
      if (!/\(\?[imsU-]+[):]/.test(s.pattern)) new RegExp(s.pattern);
    } catch (e) {
      errs.push(fieldInvalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  if (s.properties !== undefined) {
    if (!isPlainObject(s.properties)) errs.push(fieldInvalid(`${path}.properties`, s.properties, 'must be an object'));
    else for (const [k, v] of Object.entries(s.properties)) structuralErrors(v, child(path, 'properties', k), false, errs);
  }
  if (s.properties !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push({ type: 'FieldValueForbidden', field: `${path}.additionalProperties`, detail: 'additionalProperties and properties are mutual exclusive' });
  }
  if (isPlainObject(s.additionalProperties)) structuralErrors(s.additionalProperties, `${path}.additionalProperties`, false, errs);
  if (s.items !== undefined) structuralErrors(s.items, `${path}.items`, false, errs);
  else if (s.type === 'array') errs.push(fieldRequired(`${path}.items`, 'must be specified'));
}

function validateNames(spec: Record<string, unknown>, errs: FieldError[]): void {
  const names = spec.names;
  if (!isPlainObject(names)) {
    errs.push(fieldRequired('spec.names'));
    return;
  }
  const plural = names.plural;
  if (typeof plural !== 'string' || !plural) errs.push(fieldRequired('spec.names.plural'));
  else if (!isDns1123Label(plural)) errs.push(fieldInvalid('spec.names.plural', plural, nameProblems(plural, 'label')[0]));
  if (names.singular !== undefined && (typeof names.singular !== 'string' || (names.singular && !isDns1123Label(names.singular)))) {
    errs.push(fieldInvalid('spec.names.singular', names.singular, nameProblems(String(names.singular), 'label')[0] ?? 'must be a string'));
  }
  if (typeof names.kind !== 'string' || !names.kind) errs.push(fieldRequired('spec.names.kind'));
  else if (!KIND_RE.test(names.kind)) errs.push(fieldInvalid('spec.names.kind', names.kind, KIND_MSG));
  if (names.listKind !== undefined) {
    if (typeof names.listKind !== 'string' || !KIND_RE.test(names.listKind)) errs.push(fieldInvalid('spec.names.listKind', names.listKind, KIND_MSG));
    else if (names.listKind === names.kind) errs.push(fieldInvalid('spec.names.listKind', names.listKind, 'kind and listKind may not be the same'));
  }
  for (const f of ['shortNames', 'categories'] as const) {
    const list = names[f];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errs.push(fieldInvalid(`spec.names.${f}`, list, 'must be a list of strings'));
      continue;
    }
    list.forEach((n, i) => {
      if (typeof n !== 'string' || !isDns1123Label(n))
        errs.push(fieldInvalid(`spec.names.${f}[${i}]`, n, nameProblems(String(n), 'label')[0] ?? 'must be a string'));
    });
  }
}

function validateVersion(v: unknown, i: number, errs: FieldError[]): void {
  const path = `spec.versions[${i}]`;
  if (!isPlainObject(v)) {
    errs.push(fieldInvalid(path, v, 'must be an object'));
    return;
  }
  const version = v as unknown as CrdVersion;
  if (typeof version.name !== 'string' || !version.name) errs.push(fieldRequired(`${path}.name`));
  else if (nameProblems(version.name, 'dns1035').length) errs.push(fieldInvalid(`${path}.name`, version.name, nameProblems(version.name, 'dns1035')[0]));
  for (const f of ['served', 'storage'] as const) if (typeof version[f] !== 'boolean') errs.push(fieldRequired(`${path}.${f}`));
  const schema = version.schema?.openAPIV3Schema;
  if (schema === undefined) errs.push(fieldRequired(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  else {
    const before = errs.length;
    structuralErrors(schema, `${path}.schema.openAPIV3Schema`, true, errs);
    if (errs.length === before) {
      try {
        new SchemaValidator(schema);
      } catch (e) {
        errs.push(fieldInvalid(`${path}.schema.openAPIV3Schema`, '', e instanceof Error ? e.message : String(e)));
      }
    }
  }
  const scale = version.subresources?.scale;
  if (scale !== undefined) {
    const sp = `${path}.subresources.scale`;
    if (!isPlainObject(scale)) errs.push(fieldInvalid(sp, scale, 'must be an object'));
    else {
      if (typeof scale.specReplicasPath !== 'string' || !scale.specReplicasPath.startsWith('.spec.'))
        errs.push(fieldInvalid(`${sp}.specReplicasPath`, scale.specReplicasPath ?? '', 'should be a json path under .spec'));
      if (typeof scale.statusReplicasPath !== 'string' || !scale.statusReplicasPath.startsWith('.status.'))
        errs.push(fieldInvalid(`${sp}.statusReplicasPath`, scale.statusReplicasPath ?? '', 'should be a json path under .status'));
      if (scale.labelSelectorPath !== undefined && (typeof scale.labelSelectorPath !== 'string' || !/^\.(spec|status)\./.test(scale.labelSelectorPath))) {
        errs.push(fieldInvalid(`${sp}.labelSelectorPath`, scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
      }
    }
  }
  const columns = version.additionalPrinterColumns;
  if (columns !== undefined) {
    if (!Array.isArray(columns)) errs.push(fieldInvalid(`${path}.additionalPrinterColumns`, columns, 'must be a list'));
    else
      columns.forEach((c, j) => {
        const cp = `${path}.additionalPrinterColumns[${j}]`;
        if (!isPlainObject(c)) return void errs.push(fieldInvalid(cp, c, 'must be an object'));
        if (typeof c.name !== 'string' || !c.name) errs.push(fieldRequired(`${cp}.name`));
        if (!COLUMN_TYPES.includes(c.type as string)) errs.push(fieldNotSupported(`${cp}.type`, c.type, COLUMN_TYPES));
        if (typeof c.jsonPath !== 'string' || !c.jsonPath) errs.push(fieldRequired(`${cp}.jsonPath`));
        else if (!isValidJsonPath(c.jsonPath)) errs.push(fieldInvalid(`${cp}.jsonPath`, c.jsonPath, 'must be a simple json path'));
      });
  }
}

/** The API server's CustomResourceDefinition validation (the parts this server relies on). */
export function validateCrd(crd: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  if (!isPlainObject(spec)) return [fieldRequired('spec')];
  const group = spec.group;
  if (typeof group !== 'string' || !group) errs.push(fieldRequired('spec.group'));
  else if (!isDns1123Subdomain(group)) errs.push(fieldInvalid('spec.group', group, nameProblems(group, 'subdomain')[0]));
  else if (!group.includes('.')) errs.push(fieldInvalid('spec.group', group, 'should be a domain with at least one dot'));
  else if (PROTECTED.test(group) && !crd.metadata.annotations?.[APPROVAL]) {
    errs.push(
      fieldRequired(
        `metadata.annotations[${APPROVAL}]`,
        `protected groups must have approval annotation "${APPROVAL}", see https://github.com/kubernetes/enhancements/pull/1111`,
      ),
    );
  }
  validateNames(spec, errs);
  const plural = isPlainObject(spec.names) ? spec.names.plural : undefined;
  if (typeof plural === 'string' && typeof group === 'string' && crd.metadata.name !== `${plural}.${group}`) {
    errs.push(fieldInvalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (spec.scope === undefined) errs.push(fieldRequired('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(fieldNotSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec.versions;
  if (!Array.isArray(versions) || versions.length === 0) errs.push(wholeList('must have exactly one version marked as storage version'));
  else {
    versions.forEach((v, i) => validateVersion(v, i, errs));
    const names = versions.map((v) => (isPlainObject(v) ? v.name : undefined));
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) errs.push({ type: 'FieldValueDuplicate', field: `spec.versions[${i}].name`, value: n });
    });
    if (versions.filter((v) => isPlainObject(v) && v.storage === true).length !== 1)
      errs.push(wholeList('must have exactly one version marked as storage version'));
    if (!versions.some((v) => isPlainObject(v) && v.served === true)) errs.push(wholeList('must have at least one version marked as served'));
  }
  const strategy = isPlainObject(spec.conversion) ? spec.conversion.strategy : undefined;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook')
    errs.push(fieldNotSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (strategy === 'Webhook')
    errs.push({ type: 'FieldValueForbidden', field: 'spec.conversion.strategy', detail: 'conversion webhooks are not supported by this server' });
  if (old && isPlainObject(old.spec)) {
    if (old.spec.scope !== spec.scope) errs.push(fieldInvalid('spec.scope', spec.scope, 'field is immutable'));
  }
  return errs;
}
