/**
 * Turns a statement built by drizzle's SQLite dialect into PostgreSQL. The queries are shared, so the
 * differences are few and syntactic: `?` placeholders become `$1…$n`, SQLite's two-argument scalar
 * `max`/`min` become `greatest`/`least` (one argument stays the aggregate), and `CAST(… AS INTEGER)`
 * casts to bigint, and an upsert's conflict target names bare columns (SQLite integers are 64-bit; the values are epoch ms). The SQLite functions with no
 * PostgreSQL twin (json_set, json_extract, strftime) are defined by a migration (migrations-pg).
 * String literals and quoted identifiers are copied as they are.
 */
export function toPostgres(sqlite: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sqlite.length; i++) {
    const ch = sqlite[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sqlite, i);
      out += sqlite.slice(i, end + 1);
      i = end;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else if ((ch === 'm' || ch === 'M') && !isWordChar(sqlite[i - 1]) && /^(max|min)\s*\(/i.test(sqlite.slice(i, i + 5))) {
      const open = sqlite.indexOf('(', i);
      const name = sqlite.slice(i, i + 3).toLowerCase();
      out += hasTopLevelComma(sqlite, open) ? (name === 'max' ? 'greatest' : 'least') : sqlite.slice(i, i + 3);
      i += 2;
    } else {
      out += ch;
    }
  }
  return (
    out
      .replace(/\bAS INTEGER\)/gi, 'AS BIGINT)')
      // SQLite accepts a qualified conflict target ("t"."c"); PostgreSQL wants bare column names.
      .replace(/\bon conflict \(([^)]*)\)/gi, (_, cols: string) => `on conflict (${cols.replace(/"(?:[^"]|"")*"\./g, '')})`)
  );
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w."]/.test(ch);
}

/** Index of the quote closing the literal that opens at `start` ('' and "" are escapes). */
function closingQuote(s: string, start: number): number {
  const q = s[start];
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] !== q) continue;
    if (s[i + 1] === q) i++;
    else return i;
  }
  return s.length - 1;
}

/** Whether the parenthesis opening at `open` holds a comma outside nested parentheses and literals. */
function hasTopLevelComma(s: string, open: number): boolean {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"') i = closingQuote(s, i);
    else if (ch === '(') depth++;
    else if (ch === ')') {
      if (--depth === 0) return false;
    } else if (ch === ',' && depth === 1) return true;
  }
  return false;
}
