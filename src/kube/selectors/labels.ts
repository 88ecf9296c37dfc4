/**
 * Label selectors: the string syntax of `?labelSelector=` (equality and set-based) and the
 * structured LabelSelector of workload specs, both compiled to one list of requirements.
 */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

export class SelectorParseError extends Error {}

export function matchesRequirement(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && r.values.includes(v!);
    case '!=':
    case 'notin':
      // `!=` and `notin` also match objects that lack the key.
      return !has || !r.values.includes(v!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(v!)) return false;
      const n = Number(v);
      const bound = Number(r.values[0]);
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

export function matches(reqs: Requirement[], labels: Labels): boolean {
  for (const r of reqs) if (!matchesRequirement(r, labels)) return false;
  return true;
}

const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!KEY_RE.test(key) || name.length > 63) throw new SelectorParseError(`unable to parse requirement: key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
}

function checkValue(key: string, v: string): void {
  if (v.length > 63 || !VALUE_RE.test(v)) {
    throw new SelectorParseError(`unable to parse requirement: values[0][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
}

/** Splits on commas that are not inside a parenthesised value set. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function parseOne(raw: string): Requirement {
  const s = raw.trim();
  if (s === '') throw new SelectorParseError('found \'\', expected: !, identifier, or \'end of string\'');
  if (s.startsWith('!')) {
    const key = s.slice(1).trim();
    checkKey(key);
    return { key, op: '!', values: [] };
  }
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(s);
  if (set) {
    const [, key, op, inner] = set;
    checkKey(key);
    const values = inner.split(',').map((v) => v.trim());
    for (const v of values) checkValue(key, v);
    return { key, op: op as Operator, values };
  }
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(s);
  if (cmp) {
    const [, key, opText, value] = cmp;
    checkKey(key);
    if (opText === '>' || opText === '<') {
      if (!/^-?\d+$/.test(value)) throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      return { key, op: opText === '>' ? 'gt' : 'lt', values: [value] };
    }
    checkValue(key, value);
    return { key, op: opText === '!=' ? '!=' : '=', values: [value] };
  }
  if (/\s/.test(s)) throw new SelectorParseError(`unable to parse requirement: found '${s.split(/\s+/)[1]}', expected: in, notin, =, ==, !=, gt, lt`);
  checkKey(s);
  return { key: s, op: 'exists', values: [] };
}

/** Parses `app=web,tier!=db,env in (a,b),!canary`. An empty string selects everything. */
export function parseLabelSelector(s: string): Requirement[] {
  if (s.trim() === '') return [];
  return splitTop(s).map(parseOne);
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const STRUCT_OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** A structured selector as requirements; null/undefined selects nothing, `{}` everything. */
export function fromLabelSelector(sel: LabelSelector | null | undefined): Requirement[] | null {
  if (sel === null || sel === undefined) return null;
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: '=', values: [value] });
  for (const e of sel.matchExpressions ?? []) {
    const op = STRUCT_OPS[e.operator];
    if (!op) throw new SelectorParseError(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])] });
  }
  return reqs;
}

/** Whether a structured selector selects these labels (null selects nothing). */
export function selectorMatches(sel: LabelSelector | null | undefined, labels: Labels): boolean {
  const reqs = fromLabelSelector(sel);
  return reqs !== null && matches(reqs, labels);
}

/** The canonical string form (sorted by key), as in Scale `status.selector`. */
export function selectorString(reqs: Requirement[]): string {
  return [...reqs]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case '=':
          return `${r.key}=${r.values[0]}`;
        case '!=':
          return `${r.key}!=${r.values[0]}`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key} ${r.op} (${[...r.values].sort().join(',')})`;
      }
    })
    .join(',');
}
