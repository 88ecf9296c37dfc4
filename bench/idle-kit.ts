/** What the idle-cluster benches (Node and Workers) share: flags, a free port, a bounded pool, a text table. */

export const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** A comma-separated list of numbers from `--name`, or `dflt`. */
export const numberList = (name: string, dflt: string): number[] => (argValue(name) ?? dflt).split(',').filter(Boolean).map(Number);

export { freePort } from '../src/platform/redis.ts';

/** Runs `run` over `items` with at most `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

export const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** Right-aligned columns; the last one (free text) is left as it is. */
export function formatTable(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}
