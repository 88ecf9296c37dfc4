/**
 * A node:test reporter for `npm test`: one `<ms>\t<file>` line per test file when the file is done
 * (its process included), which scripts/test.ts prints slowest first. Plain JavaScript: the runner
 * loads reporters before tsx is registered.
 */
export default async function* fileDurations(source) {
  for await (const e of source) {
    if (e.type === 'test:complete' && e.data.nesting === 0 && e.data.file && e.data.name === e.data.file) {
      yield `${Math.round(e.data.details?.duration_ms ?? 0)}\t${e.data.file}\n`;
    }
  }
}
