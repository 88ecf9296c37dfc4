import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/** The committed contract: every /v1 response the tests see must match it. */
const doc = parse(readFileSync(resolve(import.meta.dirname, '../../openapi.yaml'), 'utf8'));
// The ESM builds of ajv export the class as default; the typings describe the CommonJS shape.
const ajv = new (Ajv2020 as unknown as new (o: object) => import('ajv').default)({ strict: false, allErrors: true });
(addFormats as unknown as (a: unknown) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

const templates = Object.keys(doc.paths ?? {}).map((t) => ({
  template: t,
  regex: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+')}$`),
}));

export function findOperation(method: string, path: string) {
  const clean = path.split('?')[0];
  for (const t of templates) {
    if (!t.regex.test(clean)) continue;
    const op = doc.paths[t.template][method.toLowerCase()];
    if (op) return { template: t.template, op };
  }
  return undefined;
}

export function assertMatchesContract(method: string, path: string, status: number, contentType: string | undefined, body: unknown): void {
  const found = findOperation(method, path);
  if (!found) {
    if (status === 404 || status === 405) return;
    throw new Error(`contract: ${method} ${path} answered ${status} but is not in openapi.yaml`);
  }
  const response = found.op.responses?.[String(status)] ?? found.op.responses?.default;
  if (!response) throw new Error(`contract: ${method} ${found.template} answered ${status}, which openapi.yaml does not list`);
  const media = response.content ? Object.keys(response.content) : [];
  if (!media.length) return;
  const type = (contentType ?? '').split(';')[0].trim();
  const key = media.find((m) => m === type);
  if (!key) throw new Error(`contract: ${method} ${found.template} ${status} answered ${type || 'no content type'}; openapi.yaml lists ${media.join(', ')}`);
  const schema = response.content[key].schema;
  if (!schema) return;
  const id = `${method} ${found.template} ${status} ${key}`;
  const validate = compiled.get(id) ?? ajv.compile({ ...schema, components: doc.components });
  compiled.set(id, validate);
  if (!validate(body)) {
    throw new Error(`contract: ${id} body does not match openapi.yaml: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
