import type { KubeObject } from '../types.ts';

/** One `field=value` or `field!=value` term of a `?fieldSelector=`. */
export interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

/** Reads a selectable field of an object as the string the API compares against. */
export type FieldGetter = (o: KubeObject) => string | undefined;

export class FieldSelectorError extends Error {}

/** Splits on unescaped separators; `\,` `\=` `\\` escape them, as in fields.ParseSelector. */
function splitEscaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export function parseFieldSelector(s: string): FieldRequirement[] {
  if (s.trim() === '') return [];
  return splitEscaped(s, ',').map((term) => {
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term.replace(/\\=/g, '\u0000'));
    if (!m) throw new FieldSelectorError(`invalid selector: '${s}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    return { field: field.trim(), negate: op === '!=', value: unescape(value.replace(/\u0000/g, '\\=')) };
  });
}

/** Fields every kind supports. */
export const commonFields: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/** Compiles a selector into a predicate; unknown fields are a 400 in Kubernetes. */
export function compileFieldSelector(reqs: FieldRequirement[], getters: Record<string, FieldGetter>): (o: KubeObject) => boolean {
  const checks = reqs.map((r) => {
    const get = getters[r.field];
    if (!get) throw new FieldSelectorError(`field label not supported: ${r.field}`);
    return (o: KubeObject) => ((get(o) ?? '') === r.value) !== r.negate;
  });
  return (o) => checks.every((c) => c(o));
}
