/**
 * Writes src/kube/openapi/upstream-definitions.json: the Kubernetes API types (OpenAPI v3 schemas
 * keyed by upstream's definition names, with upstream's field descriptions) for the groups kates
 * serves. The source is the `kubernetes-models` package (a dev dependency, generated from upstream's
 * OpenAPI document), read through the TypeScript compiler: each type's interface gives its fields,
 * their JSDoc gives upstream's descriptions, optionality gives `required`, string-literal unions
 * give enums. The declarations do not tell int from double: every number is an integer except
 * upstream's few double fields, listed below. `--check` fails when the committed file differs.
 *
 *   npx tsx scripts/kube-definitions.ts [--check]
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

type Schema = Record<string, unknown>;

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'src/kube/openapi/upstream-definitions.json');
const sources = [join(root, 'node_modules/kubernetes-models'), join(root, 'node_modules/@kubernetes-models/apimachinery')];

/** Packages of the groups kates serves or may serve (the rest of upstream's API is left out). */
const PACKAGES = [
  'io.k8s.api.core.v1',
  'io.k8s.api.apps.v1',
  'io.k8s.api.batch.v1',
  'io.k8s.api.autoscaling.v1',
  'io.k8s.api.autoscaling.v2',
  'io.k8s.api.policy.v1',
  'io.k8s.api.discovery.v1',
  'io.k8s.api.events.v1',
  'io.k8s.api.storage.v1',
  'io.k8s.api.node.v1',
  'io.k8s.api.coordination.v1',
  'io.k8s.api.scheduling.v1',
  'io.k8s.api.authorization.v1',
  'io.k8s.api.authentication.v1',
  'io.k8s.api.rbac.v1',
  'io.k8s.api.networking.v1',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
  'io.k8s.apimachinery.pkg.apis.meta.v1',
  'io.k8s.apimachinery.pkg.api.resource',
  'io.k8s.apimachinery.pkg.util.intstr',
  'io.k8s.apimachinery.pkg.runtime',
  'io.k8s.apimachinery.pkg.version',
];

/** Upstream's double-typed fields (float64) in those packages; every other number is an integer. */
const DOUBLES = new Set([
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.maximum',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.minimum',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps.multipleOf',
]);

/** Scalars that are type aliases in the declarations, as upstream's OpenAPI v3 has them. */
const SCALARS: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    format: 'int-or-string',
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    // The declarations carry no comment for Quantity; this is the opening of upstream's.
    description:
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
};

/** Types whose declarations have no fields because any JSON goes there. */
const FREE_FORM = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
]);

/** The type meta of a kind is declared as a literal without a comment; these are upstream's words. */
const TYPE_META: Record<string, string> = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

const PREFIXES: [string, string][] = [
  ['IoK8sApiextensionsApiserver', 'io.k8s.apiextensions-apiserver'],
  ['IoK8sKubeAggregator', 'io.k8s.kube-aggregator'],
];

/** `IoK8sApiAppsV1Deployment` → `io.k8s.api.apps.v1.Deployment`. */
export function definitionName(exported: string): string | undefined {
  let prefix = '';
  let rest = exported;
  for (const [p, pkg] of PREFIXES) {
    if (rest.startsWith(p)) {
      prefix = pkg;
      rest = rest.slice(p.length);
    }
  }
  const segments = (s: string) => (s.match(/[A-Z][a-z0-9]*/g) ?? []).map((x) => x.toLowerCase());
  const versioned = /^(.*?)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/.exec(rest);
  if (versioned) return [...(prefix ? [prefix] : []), ...segments(versioned[1]), versioned[2].toLowerCase(), versioned[3]].join('.');
  for (const pkg of ['util.intstr', 'api.resource', 'runtime', 'version']) {
    const camel = `IoK8sApimachineryPkg${pkg
      .split('.')
      .map((p) => p[0].toUpperCase() + p.slice(1))
      .join('')}`;
    if (exported.startsWith(camel)) return `io.k8s.apimachinery.pkg.${pkg}.${exported.slice(camel.length)}`;
  }
  return undefined;
}

function jsDoc(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const text = docs
    ?.map((d) => (typeof d.comment === 'string' ? d.comment : (ts.getTextOfJSDocComment(d.comment) ?? '')))
    .join('\n')
    .trim();
  return text || undefined;
}

function typeSchema(node: ts.TypeNode, owner: string, field: string): Schema {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: 'string' };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.NumberKeyword:
      return DOUBLES.has(`${owner}.${field}`) ? { type: 'number', format: 'double' } : { type: 'integer' };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    case ts.SyntaxKind.LiteralType:
      return { type: 'string' };
    case ts.SyntaxKind.ArrayType:
      return { type: 'array', items: typeSchema((node as ts.ArrayTypeNode).elementType, owner, field) };
    case ts.SyntaxKind.UnionType: {
      const types = (node as ts.UnionTypeNode).types;
      const literals = types
        .filter((t): t is ts.LiteralTypeNode => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))
        .map((t) => (t.literal as ts.StringLiteral).text);
      if (literals.length === types.length) return { type: 'string', enum: literals };
      return typeSchema(types[0], owner, field);
    }
    case ts.SyntaxKind.TypeLiteral: {
      const index = (node as ts.TypeLiteralNode).members.find(ts.isIndexSignatureDeclaration);
      if (index?.type) return { type: 'object', additionalProperties: typeSchema(index.type, owner, field) };
      return { type: 'object' };
    }
    case ts.SyntaxKind.TypeReference: {
      const ref = node as ts.TypeReferenceNode;
      const name = ref.typeName.getText();
      if (name === 'Array' && ref.typeArguments?.length) return { type: 'array', items: typeSchema(ref.typeArguments[0], owner, field) };
      const full = name.startsWith('I') ? definitionName(name.slice(1)) : undefined;
      if (full) return { $ref: `#/components/schemas/${full}` };
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    default:
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

/** A referenced type as a property: `allOf` keeps the property's own description beside the reference (as upstream's v3 does). */
function property(schema: Schema, description: string | undefined): Schema {
  if (schema.$ref) return { allOf: [{ $ref: schema.$ref }], ...(description ? { description } : {}) };
  return { ...(description ? { description } : {}), ...schema };
}

function definitionsOf(file: string): Record<string, Schema> {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const aliases = new Map<string, string>();
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (el.propertyName) aliases.set(el.propertyName.text, el.name.text);
    }
  }
  const found: Record<string, Schema> = {};
  for (const st of sf.statements) {
    const exported = ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) ? aliases.get(st.name.text) : undefined;
    const full = exported?.startsWith('I') ? definitionName(exported.slice(1)) : undefined;
    if (!full || !PACKAGES.some((p) => full.startsWith(`${p}.`) && !full.slice(p.length + 1).includes('.'))) continue;
    const description = jsDoc(st);
    if (SCALARS[full]) {
      found[full] = { ...(description ? { description } : {}), ...SCALARS[full] };
      continue;
    }
    if (!ts.isInterfaceDeclaration(st)) continue;
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const m of st.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
      properties[name] = property(typeSchema(m.type, full, name), jsDoc(m) ?? TYPE_META[name]);
      if (!m.questionToken && name !== 'apiVersion' && name !== 'kind') required.push(name);
    }
    const schema: Schema = { ...(description ? { description } : {}), type: 'object' };
    if (FREE_FORM.has(full)) schema['x-kubernetes-preserve-unknown-fields'] = true;
    else schema.properties = properties;
    if (required.length && !FREE_FORM.has(full)) schema.required = required;
    found[full] = schema;
  }
  return found;
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === '_schemas' || name === 'node_modules') return [];
    if (statSync(p).isDirectory()) return declarationFiles(p);
    return name.endsWith('.d.ts') && name !== 'index.d.ts' ? [p] : [];
  });
}

const definitions: Record<string, Schema> = {};
for (const dir of sources) for (const file of declarationFiles(dir)) Object.assign(definitions, definitionsOf(file));
const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : 1)));
const version = JSON.parse(readFileSync(join(sources[0], 'package.json'), 'utf8')).version;
const text = `${JSON.stringify({ source: `kubernetes-models@${version}`, definitions: sorted })}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error('src/kube/openapi/upstream-definitions.json is out of date: run `npx tsx scripts/kube-definitions.ts`.');
    process.exit(1);
  }
  console.log('upstream-definitions.json matches its source');
} else {
  writeFileSync(out, text);
  console.log(`wrote ${Object.keys(sorted).length} definitions (${(text.length / 1024).toFixed(0)} KiB) to ${out}`);
}
