/**
 * Label selectors: the string syntax of `?labelSelector=` (equality and set-based), the structured
 * LabelSelector of workload specs and the label terms of node selectors, all compiled to one list of
 * requirements and matched by one implementation.
 */
export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

export type Labels = Record<string, string> | undefined;

/** A compiled matcher over a label set. */
export type LabelMatcher = (labels: Labels) => boolean;

export const matchNothing: LabelMatcher = () => false;
export const matchEverything: LabelMatcher = () => true;

export class SelectorParseError extends Error {}

/** An integer the way Go's strconv.ParseInt reads it (an optional sign, decimal digits). */
function parseInteger(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** The label's value; own keys only, so a key such as `constructor` is not found on every object. */
function labelValue(labels: Labels, key: string): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

/** One requirement as a matcher: the meaning of every operator, in one place. */
export function requirementMatcher(r: Requirement): LabelMatcher {
  const { key } = r;
  switch (r.op) {
    case 'exists':
      return (l) => labelValue(l, key) !== undefined;
    case '!':
      return (l) => labelValue(l, key) === undefined;
    case '=':
    case 'in': {
      const values = new Set(r.values);
      return (l) => {
        const v = labelValue(l, key);
        return v !== undefined && values.has(v);
      };
    }
    case '!=':
    case 'notin': {
      // `!=` and `notin` also match objects that lack the key.
      const values = new Set(r.values);
      return (l) => {
        const v = labelValue(l, key);
        return v === undefined || !values.has(v);
      };
    }
    case 'gt':
    case 'lt': {
      // Exactly one integer bound; a label that is not an integer never matches.
      const bound = r.values.length === 1 ? parseInteger(r.values[0]) : undefined;
      if (bound === undefined) return matchNothing;
      const greater = r.op === 'gt';
      return (l) => {
        const v = parseInteger(labelValue(l, key));
        return v !== undefined && (greater ? v > bound : v < bound);
      };
    }
  }
}

/** The requirements ANDed, compiled once for matching many objects; no requirements match everything. */
export function compileRequirements(reqs: Requirement[]): LabelMatcher {
  if (reqs.length === 0) return matchEverything;
  // Equality alone is the common case (workload selectors): compare without a closure per term.
  if (reqs.every((r) => r.op === '=' && r.values.length === 1)) return matchPairs(reqs.map((r) => [r.key, r.values[0]]));
  const checks = reqs.map(requirementMatcher);
  if (checks.length === 1) return checks[0];
  return (labels) => {
    for (const c of checks) if (!c(labels)) return false;
    return true;
  };
}

/** A string equal to the wanted value can only be an own label: inherited properties are not strings. */
function matchPairs(pairs: [string, string][]): LabelMatcher {
  if (pairs.length === 1) {
    const [k, v] = pairs[0];
    return (l) => l !== undefined && l[k] === v;
  }
  const keys = pairs.map((p) => p[0]);
  const values = pairs.map((p) => p[1]);
  return (l) => {
    if (!l) return false;
    for (let i = 0; i < keys.length; i++) if (l[keys[i]] !== values[i]) return false;
    return true;
  };
}

/** One-off matching; compile with compileRequirements to match many objects. */
export function matches(reqs: Requirement[], labels: Labels): boolean {
  return compileRequirements(reqs)(labels);
}

const KEY_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (!KEY_RE.test(key) || name.length > 63)
    throw new SelectorParseError(
      `unable to parse requirement: key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
}

function checkValue(key: string, v: string): void {
  if (v.length > 63 || !VALUE_RE.test(v)) {
    throw new SelectorParseError(
      `unable to parse requirement: values[0][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
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
  if (s === '') throw new SelectorParseError("found '', expected: !, identifier, or 'end of string'");
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
  /** In, NotIn, Exists, DoesNotExist (and Gt, Lt in node selector terms). */
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const STRUCT_OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
const NODE_SELECTOR_OPS: Record<string, Operator> = { ...STRUCT_OPS, Gt: 'gt', Lt: 'lt' };

function fromExpression(e: LabelSelectorRequirement, ops: Record<string, Operator>): Requirement {
  const op = ops[e.operator];
  if (!op) throw new SelectorParseError(`"${e.operator}" is not a valid label selector operator`);
  return { key: e.key, op, values: [...(e.values ?? [])] };
}

/** A structured selector as requirements; null/undefined selects nothing, `{}` everything. */
export function fromLabelSelector(sel: LabelSelector | null | undefined): Requirement[] | null {
  if (sel === null || sel === undefined) return null;
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: '=', values: [value] });
  for (const e of sel.matchExpressions ?? []) reqs.push(fromExpression(e, STRUCT_OPS));
  return reqs;
}

/**
 * Whether a structured selector selects these labels, with LabelSelectorAsSelector's semantics:
 * null selects nothing, `{}` everything, terms are ANDed (an invalid operator selects nothing).
 */
export function selectorMatches(sel: LabelSelector | null | undefined, labels: Labels): boolean {
  return compileLabelSelector(sel)(labels);
}

/**
 * Compiles a metav1.LabelSelector for matching many objects. An empty selector matches everything;
 * a missing one (null or undefined) matches nothing, as Kubernetes treats a nil selector in
 * affinity and spread terms. An invalid operator (validation rejects it) matches nothing.
 */
export function compileLabelSelector(sel: LabelSelector | null | undefined): LabelMatcher {
  try {
    const reqs = fromLabelSelector(sel);
    return reqs === null ? matchNothing : compileRequirements(reqs);
  } catch (err) {
    if (err instanceof SelectorParseError) return matchNothing;
    throw err;
  }
}

/** A selector from a plain map (Service and ReplicationController selectors); empty matches nothing. */
export function compileMapSelector(map: Record<string, string> | null | undefined): LabelMatcher {
  if (!map || Object.keys(map).length === 0) return matchNothing;
  return compileLabelSelector({ matchLabels: map });
}

/** One label expression of a node selector term (Gt and Lt allowed); an invalid operator matches nothing. */
export function compileNodeLabelRequirement(e: LabelSelectorRequirement): LabelMatcher {
  const op = NODE_SELECTOR_OPS[e.operator];
  return op ? requirementMatcher({ key: e.key, op, values: e.values ?? [] }) : matchNothing;
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
