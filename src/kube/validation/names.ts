import { fieldInvalid, type FieldError } from '../status.ts';

/** Name rules of apimachinery's validation package, with its exact messages. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path';

const SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN_FMT}$`);
const LABEL_RE = new RegExp(`^${LABEL_FMT}$`);
const DNS1035_RE = new RegExp(`^${DNS1035_FMT}$`);
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

export const SUBDOMAIN_MSG = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN_FMT}')`;
export const LABEL_MSG = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL_FMT}')`;
export const DNS1035_MSG = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_FMT}')`;
const QUALIFIED_NAME_MSG = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME_FMT}')`;
const LABEL_VALUE_MSG = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE_FMT}')`;

/** Messages for a name under `rule`; empty when valid. */
export function nameProblems(name: string, rule: NameRule): string[] {
  const out: string[] = [];
  switch (rule) {
    case 'subdomain':
      if (name.length > 253) out.push('must be no more than 253 characters');
      if (!SUBDOMAIN_RE.test(name)) out.push(SUBDOMAIN_MSG);
      break;
    case 'label':
      if (name.length > 63) out.push('must be no more than 63 characters');
      if (!LABEL_RE.test(name)) out.push(LABEL_MSG);
      break;
    case 'dns1035':
      if (name.length > 63) out.push('must be no more than 63 characters');
      if (!DNS1035_RE.test(name)) out.push(DNS1035_MSG);
      break;
    case 'path':
      // Path-segment names (events, leases...): anything but `.`, `..`, `/` and `%`.
      if (name === '.' || name === '..') out.push(`may not be '${name}'`);
      for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
      break;
  }
  return out;
}

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && LABEL_RE.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && SUBDOMAIN_RE.test(s);
}

/** Label and annotation keys: optional DNS subdomain prefix, then a qualified name. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  const out: string[] = [];
  let name = key;
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    name = rest;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else if (!isDns1123Subdomain(prefix)) out.push(`prefix part ${SUBDOMAIN_MSG}`);
  } else if (parts.length > 2) {
    return [`a qualified name ${QUALIFIED_NAME_MSG.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name)) out.push(QUALIFIED_NAME_MSG);
  return out;
}

export function labelValueProblems(v: string): string[] {
  const out: string[] = [];
  if (v.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(v)) out.push(LABEL_VALUE_MSG);
  return out;
}

export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return [fieldInvalid(path, labels, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    for (const m of qualifiedNameProblems(k)) errs.push(fieldInvalid(path, k, m));
    if (typeof v !== 'string') errs.push(fieldInvalid(`${path}`, v, 'label values must be strings'));
    else for (const m of labelValueProblems(v)) errs.push(fieldInvalid(path, v, m));
  }
  return errs;
}

/** Total annotation size limit of the API server: 256 KiB. */
const ANNOTATIONS_LIMIT = 256 * 1024;

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (typeof annotations !== 'object' || Array.isArray(annotations)) return [fieldInvalid(path, annotations, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations as Record<string, unknown>)) {
    for (const m of qualifiedNameProblems(k.toLowerCase())) errs.push(fieldInvalid(path, k, m));
    if (typeof v !== 'string') errs.push(fieldInvalid(path, v, 'annotation values must be strings'));
    else total += k.length + v.length;
  }
  if (total > ANNOTATIONS_LIMIT) errs.push({ type: 'FieldValueTooLong', field: path, detail: `must have at most ${ANNOTATIONS_LIMIT} bytes` });
  return errs;
}
