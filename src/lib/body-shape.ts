import { Lexer } from 'yaml';

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
 * True when the brackets of a JSON text nest deeper than `max`. One pass, no parsing: strings are
 * skipped (with their escapes), so it counts exactly what JSON.parse would build.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    }
  }
  return false;
}

/**
 * The same for YAML, read with the yaml library's lexer (iterative, linear, and it knows quoted and
 * block scalars), stopping at the first token too deep. A block collection inside another is
 * either indented further or opened by an indicator (`- `, `? `, `: `) earlier on the same line,
 * so a line's indentation plus its indicators bounds its block depth; flow brackets add to that.
 * This also refuses before the yaml composer, which is quadratic on long compact lines.
 */
export function yamlNestsDeeperThan(text: string, max: number): boolean {
  let flow = 0;
  // Block depth bound of the current line, and of the line where the open flow collection began.
  let block = 0;
  let flowBase = 0;
  let lineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (token === '\n') {
      lineStart = true;
      block = 0;
      continue;
    }
    const indentation = lineStart && /^ +$/.test(token);
    lineStart = false;
    if (flow > 0) {
      if (token === '[' || token === '{') flow++;
      else if (token === ']' || token === '}') flow--;
      else continue;
    } else if (indentation) block = token.length;
    else if (token === '-' || token === '?' || token === ':') block++;
    else if (token === '[' || token === '{') {
      flow = 1;
      flowBase = block;
    } else continue;
    if (flow > 0 ? flowBase + flow > max : block > max) return true;
  }
  return false;
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
