/**
 * YAML bodies of the Kubernetes API: the time to decode a wide body (a ConfigMap with many keys)
 * and to refuse a hostile one (compact nested sequences `- a: - a: ...`), each beside the baseline
 * of the yaml library's defaults (`parse(text)`, which checks unique keys pairwise and composes the
 * whole document before any depth check), measured in the same run.
 *
 *   npx tsx bench/kube-yaml-body.ts [--keys 60000] [--nested 20000]
 */
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { decodeBody } from '../src/kube/handlers/body.ts';
import { machine } from './kube-server.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const KEYS = arg('keys', 60000);
const NESTED = arg('nested', 20000);

function timed(fn: () => unknown): { ms: number; outcome: string } {
  const start = performance.now();
  let outcome = 'parsed';
  try {
    fn();
  } catch (e) {
    outcome = `refused: ${(e as Error).message.slice(0, 60)}`;
  }
  return { ms: performance.now() - start, outcome };
}

const enc = new TextEncoder();
const cases = {
  [`wide ConfigMap, ${KEYS} keys`]: 'metadata:\n  name: w\ndata:\n' + Array.from({ length: KEYS }, (_, i) => `  k${i}: v`).join('\n') + '\n',
  [`compact nesting, ${NESTED} levels`]: 'metadata:\n  name: n\nx:\n' + '- a: '.repeat(NESTED) + 'z\n',
};

console.log(machine());
for (const [name, text] of Object.entries(cases)) {
  const ours = timed(() => decodeBody(enc.encode(text), 'application/yaml'));
  const baseline = timed(() => parse(text));
  console.log(
    `${name} (${(text.length / 1024).toFixed(0)} KiB): decodeBody ${ours.ms.toFixed(0)} ms (${ours.outcome}); baseline yaml parse() ${baseline.ms.toFixed(0)} ms (${baseline.outcome})`,
  );
}
