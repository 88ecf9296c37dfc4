/**
 * Cheap checks on a request body before and after it is parsed, so hostile input is refused with a
 * 400 instead of overflowing the stack of a recursive walker (parsers, defaulting, validation,
 * patches) or reaching an object's prototype.
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or undefined when it is not valid UTF-8 (rather than replacing bytes with U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * True when the brackets of a JSON text (or the flow collections of a YAML text) nest deeper than
 * `max`. One pass, no parsing: quoted strings and YAML comments are skipped, so it never counts a
 * bracket inside a value; a stray bracket in a plain YAML scalar only makes it count one level more.
 */
export function nestsDeeperThan(text: string, max: number, opts: { yaml?: boolean } = {}): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    } else if (opts.yaml && c === 0x27 /* ' */ && isTokenStart(text, i)) {
      // A single-quoted YAML scalar ('' is an escaped quote).
      for (i++; i < text.length; i++) {
        if (text.charCodeAt(i) !== 0x27) continue;
        if (text.charCodeAt(i + 1) === 0x27) i++;
        else break;
      }
    } else if (opts.yaml && c === 0x23 /* # */ && isTokenStart(text, i)) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a) i++;
    }
  }
  return false;
}

function isTokenStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const p = text.charCodeAt(i - 1);
  return p === 0x20 || p === 0x09 || p === 0x0a || p === 0x0d || p === 0x5b || p === 0x7b || p === 0x2c || p === 0x3a;
}

/** Keys that reach an object's prototype when a walker assigns them (`o[k] = v`). */
export const PROTOTYPE_KEY = '__proto__';

/** What is wrong with a parsed body's shape, if anything. */
export type ShapeProblem = { kind: 'depth'; max: number } | { kind: 'prototype-key'; path: string };

/**
 * Walks a parsed value without recursion: nesting deeper than `max`, a `__proto__` key, or a
 * `prototype` key inside a `constructor` object (the pair that reaches `Object.prototype`).
 */
export function shapeProblem(value: unknown, max: number): ShapeProblem | undefined {
  const stack: Array<{ v: unknown; depth: number; path: string; parentKey: string }> = [{ v: value, depth: 0, path: '', parentKey: '' }];
  while (stack.length) {
    const { v, depth, path, parentKey } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return { kind: 'depth', max };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: `${path}[${i}]`, parentKey: '' });
      continue;
    }
    for (const k of Object.keys(v)) {
      const p = path ? `${path}.${k}` : k;
      if (k === PROTOTYPE_KEY || (k === 'prototype' && parentKey === 'constructor')) return { kind: 'prototype-key', path: p };
      stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1, path: p, parentKey: k });
    }
  }
  return undefined;
}

/** A JSON Pointer's segment that reaches a prototype (`/__proto__`, `/constructor/prototype`), if any. */
export function prototypePointerSegment(pointer: string): string | undefined {
  const segs = pointer.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let i = 0; i < segs.length; i++) {
    if (segs[i] === PROTOTYPE_KEY) return segs[i];
    if (segs[i] === 'prototype' && segs[i - 1] === 'constructor') return 'constructor/prototype';
  }
  return undefined;
}
