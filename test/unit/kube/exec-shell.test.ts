import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitStatus, frame, negotiateProtocol } from '../../../src/kube/exec/channels.ts';
import { sequence, SimulatedShell, words } from '../../../src/kube/exec/shell.ts';
import type { ContainerView } from '../../../src/kube/exec/pod-view.ts';

const view: ContainerView = {
  hostname: 'web-0',
  env: [
    ['MODE', 'fast'],
    ['EMPTY', ''],
  ],
  files: new Map([
    ['/etc/config/mode', 'fast'],
    ['/etc/config/sub/x', 'y'],
  ]),
  dirs: new Set(['/', '/etc', '/etc/config', '/etc/config/sub', '/tmp']),
};

function shell() {
  const out: string[] = [];
  const err: string[] = [];
  const sh = new SimulatedShell(view, { out: (t) => out.push(t), err: (t) => err.push(t), sleep: async () => {} });
  return { sh, out: () => out.join(''), err: () => err.join('') };
}

test('words: quotes, escapes and variables as sh splits them', () => {
  const env = new Map([
    ['A', 'one two'],
    ['?', '3'],
  ]);
  // Expansions are not split into fields again (echo prints the same either way).
  assert.deepEqual(words(`echo "$A" '$A' $A \\$A x"y"z "" $?`, env), ['echo', 'one two', '$A', 'one two', '$A', 'xyz', '', '3']);
  assert.deepEqual(sequence('a; b && c || d\ne'), [
    { command: 'a', after: ';' },
    { command: ' b ', after: ';' },
    { command: ' c ', after: '&&' },
    { command: ' d', after: '||' },
    { command: 'e', after: ';' },
  ]);
  assert.deepEqual(
    sequence(`echo "a;b" && echo 'c||d'`).map((c) => c.command.trim()),
    [`echo "a;b"`, `echo 'c||d'`],
  );
});

test('the shell answers from the view and says what it cannot do', async () => {
  let s = shell();
  assert.equal(await s.sh.script('cat /etc/config/mode && echo; ls /etc/config; hostname'), 0);
  assert.equal(s.out(), 'fast\nmode\nsub\nweb-0\n');
  s = shell();
  assert.equal(await s.sh.script('false || echo fallback; false && echo never'), 1);
  assert.equal(s.out(), 'fallback\n');
  s = shell();
  assert.equal(await s.sh.run(['/usr/sbin/nginx', '-t']), 127);
  assert.match(s.err(), /^kates: \/usr\/sbin\/nginx: command not available: this pod is simulated/);
  s = shell();
  assert.equal(await s.sh.run(['ls', '/nope']), 2);
  assert.equal(await s.sh.run(['cat', '/etc/config']), 1);
  assert.match(s.err(), /cat: \/etc\/config: Is a directory/);
  s = shell();
  assert.equal(await s.sh.run(['printenv', 'MODE', 'MISSING']), 1);
  assert.equal(s.out(), 'fast\n');
  await assert.rejects(s.sh.script('exit 7'), (e: { code: number }) => e.code === 7);
});

test('channel frames, protocol choice and the error channel Status', () => {
  assert.deepEqual([...frame(1, 'hi')], [1, 104, 105]);
  assert.equal(negotiateProtocol('v5.channel.k8s.io'), 'v5.channel.k8s.io');
  assert.equal(negotiateProtocol('base64.channel.k8s.io, v4.channel.k8s.io'), 'v4.channel.k8s.io');
  assert.equal(negotiateProtocol('channel.k8s.io'), undefined);
  assert.deepEqual(exitStatus(0, ['true']), { metadata: {}, status: 'Success' });
  assert.deepEqual(exitStatus(2, ['sh', '-c', 'exit 2']).details, { causes: [{ reason: 'ExitCode', message: '2' }] });
});
