import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { parse } from 'yaml';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let kc: string;
let clusterId: string;
before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  clusterId = cluster.id;
  kc = await h.kubeconfig(owner.token, cluster.id);
  await ok(['apply', '-f', '-'], MANIFESTS);
  await ok(['wait', '--for=condition=Ready', 'pod/app', '--timeout=90s']);
});
after(() => h.stop());

const run = (args: string[], input?: string) => h.kubectl(kc, args, input);
async function ok(args: string[], input?: string): Promise<string> {
  const r = await run(args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: fast, greeting: "hello world" }
---
apiVersion: v1
kind: Secret
metadata: { name: creds }
stringData: { password: s3cret }
---
apiVersion: v1
kind: Pod
metadata: { name: app, labels: { app: demo } }
spec:
  containers:
  - name: web
    image: nginx:1.27
    env:
    - { name: MODE, valueFrom: { configMapKeyRef: { name: settings, key: mode } } }
    - { name: PASSWORD, valueFrom: { secretKeyRef: { name: creds, key: password } } }
    - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
    - { name: GREETING_TWICE, value: "$(MODE)-$(MODE)" }
    envFrom:
    - { prefix: CFG_, configMapRef: { name: settings } }
    volumeMounts:
    - { name: config, mountPath: /etc/config }
    - { name: secret, mountPath: /etc/secret, readOnly: true }
    - { name: info, mountPath: /etc/podinfo }
    - { name: all, mountPath: /etc/all }
  volumes:
  - { name: config, configMap: { name: settings } }
  - { name: secret, secret: { secretName: creds } }
  - name: info
    downwardAPI: { items: [{ path: labels, fieldRef: { fieldPath: metadata.labels } }] }
  - name: all
    projected:
      sources:
      - configMap: { name: settings, items: [{ key: greeting, path: greet.txt }] }
      - secret: { name: creds }
`;

test('kubectl exec runs the simulated shell: resolved env, mounted files, hostname', async () => {
  const env = await ok(['exec', 'app', '--', 'env']);
  for (const line of [
    'MODE=fast',
    'PASSWORD=s3cret',
    'POD_NAME=app',
    'GREETING_TWICE=fast-fast',
    'CFG_mode=fast',
    'CFG_greeting=hello world',
    'HOSTNAME=app',
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
  ]) {
    assert.ok(env.split('\n').includes(line), `${line} in:\n${env}`);
  }
  assert.equal(await ok(['exec', 'app', '--', 'cat', '/etc/config/mode']), 'fast');
  assert.equal(await ok(['exec', 'app', '--', 'cat', '/etc/secret/password']), 's3cret');
  assert.equal(await ok(['exec', 'app', '--', 'cat', '/etc/podinfo/labels']), 'app="demo"');
  assert.equal(await ok(['exec', 'app', '--', 'cat', '/etc/all/greet.txt']), 'hello world');
  assert.equal(await ok(['exec', 'app', '--', 'ls', '/etc/config']), 'greeting\nmode\n');
  assert.equal(await ok(['exec', 'app', '--', 'ls', '/etc/all']), 'greet.txt\npassword\n');
  assert.equal(await ok(['exec', 'app', '--', 'hostname']), 'app\n');
  assert.equal(await ok(['exec', 'app', '--', 'echo', 'hi', 'there']), 'hi there\n');
  assert.equal(await ok(['exec', 'app', '-c', 'web', '--', 'sh', '-c', 'echo $MODE && printenv PASSWORD']), 'fast\ns3cret\n');
  assert.equal((await run(['exec', 'app', '--', 'sleep', '0.2'])).code, 0);
  assert.equal((await run(['exec', 'app', '--', 'true'])).code, 0);
});

test('exit codes travel on the error channel; unknown commands exit 127 saying the pod is simulated', async () => {
  const f = await run(['exec', 'app', '--', 'false']);
  assert.equal(f.code, 1);
  assert.match(f.stderr, /command terminated with exit code 1/);
  const three = await run(['exec', 'app', '--', 'sh', '-c', 'exit 3']);
  assert.equal(three.code, 3);
  const missing = await run(['exec', 'app', '--', 'cat', '/etc/nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cat: \/etc\/nope: No such file or directory/);
  const nginx = await run(['exec', 'app', '--', 'nginx', '-v']);
  assert.equal(nginx.code, 127);
  assert.match(nginx.stderr, /kates: nginx: command not available: this pod is simulated, no container process runs/);
  assert.match(nginx.stderr, /command terminated with exit code 127/);
});

test('kubectl exec -i sh reads commands from stdin until exit', async () => {
  const r = await run(['exec', '-i', 'app', '--', 'sh'], 'echo $POD_NAME\ncat /etc/config/mode; echo\nexit 4\necho never\n');
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stdout, 'app\nfast\n');
  const eof = await run(['exec', '-i', 'app', '--', 'sh'], 'hostname\n');
  assert.equal(eof.code, 0, eof.stderr);
  assert.equal(eof.stdout, 'app\n');
});

test('kubectl run --rm -it attaches to the shell, then deletes the pod', async () => {
  const r = await run(['run', 'tmp', '--rm', '-i', '--tty', '--image=busybox', '--restart=Never', '--', 'sh'], 'hostname\necho done\nexit\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tmp\r?\n/);
  assert.match(r.stdout, /done\r?\n/);
  assert.match(r.stdout, /pod "tmp" deleted/);
  await h.waitFor(async () => /NotFound/.test((await run(['get', 'pod', 'tmp'])).stderr), 'tmp gone');
});

test('port-forward, cp and debug answer plainly that pods are simulated', async () => {
  const pf = await run(['port-forward', 'pod/app', '18080:80']);
  assert.notEqual(pf.code, 0);
  assert.match(pf.stderr, /kubectl port-forward is not available: pods in kates are simulated/);
  const cp = await run(['cp', 'app:/etc/config/mode', `${h.dataDir}/mode`]);
  assert.notEqual(cp.code, 0);
  assert.match(cp.stderr + cp.stdout, /kubectl cp is not available: pods in kates are simulated/);
  const debug = await run(['debug', 'app', '-it', '--image=busybox', '--', 'sh'], '');
  assert.notEqual(debug.code, 0);
  assert.match(debug.stderr, /kubectl debug cannot add an ephemeral container: pods in kates are simulated/);
});

test('a SPDY upgrade is refused with a Status naming the WebSocket protocols; bad requests are 4xx', async () => {
  const token = parse(readFileSync(kc, 'utf8')).users[0].user.token;
  const raw = (method: string, path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpsRequest(
        new URL(path, h.url),
        { method, headers: { authorization: `Bearer ${token}`, ...headers }, ca: h.runtime.deps.caCert },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, text: '' });
      });
      req.on('error', reject);
      req.end();
    });
  const base = `/clusters/${clusterId}/k8s/api/v1/namespaces/default/pods/app`;
  const spdy = await raw('POST', `${base}/exec?command=env&stdout=true`, {
    connection: 'Upgrade',
    upgrade: 'SPDY/3.1',
    'x-stream-protocol-version': 'v4.channel.k8s.io',
  });
  assert.equal(spdy.status, 400);
  assert.match(JSON.parse(spdy.text).message, /exec streams over WebSocket \(v5\.channel\.k8s\.io, v4\.channel\.k8s\.io\) on this server, not SPDY/);
  assert.equal((await raw('GET', `${base}/exec?stdout=true`, {})).status, 400, 'no command');
  assert.equal((await raw('GET', `${base}/exec?command=env&container=nope`, {})).status, 400, 'unknown container');
  assert.equal((await raw('GET', `/clusters/${clusterId}/k8s/api/v1/namespaces/default/pods/ghost/exec?command=env`, {})).status, 404);
  const unknownProtocol = await raw('GET', `${base}/exec?command=env&stdout=true`, {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-protocol': 'base64.channel.k8s.io',
  });
  assert.equal(unknownProtocol.status, 400);
  assert.match(JSON.parse(unknownProtocol.text).message, /none of the offered streaming protocols is supported/);
});

test('a v4.channel.k8s.io client (no close signal) gets the same stream: stdout frames, then the Status on channel 3', async () => {
  const { WebSocket } = await import('ws');
  const token = parse(readFileSync(kc, 'utf8')).users[0].user.token;
  const url = `${h.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/app/exec?command=sh&command=-c&command=hostname%3B%20exit%205&stdout=true&stderr=true`;
  const ws = new WebSocket(url, ['v4.channel.k8s.io'], { headers: { authorization: `Bearer ${token}` }, ca: h.runtime.deps.caCert });
  const frames: Buffer[] = [];
  ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)));
  await new Promise<void>((resolve, reject) => {
    ws.on('close', () => resolve());
    ws.on('error', reject);
  });
  assert.equal(ws.protocol, 'v4.channel.k8s.io');
  const byChannel = (ch: number) => Buffer.concat(frames.filter((f) => f[0] === ch).map((f) => f.subarray(1))).toString();
  assert.equal(byChannel(1), 'app\n');
  const status = JSON.parse(byChannel(3));
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '5' }]);
});

test('@kubernetes/client-node Exec gets stdout and the Status', async () => {
  const k8s = await import('@kubernetes/client-node');
  const { PassThrough } = await import('node:stream');
  const config = new k8s.KubeConfig();
  config.loadFromFile(kc);
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const status = await new Promise<any>((resolve, reject) => {
    new k8s.Exec(config).exec('default', 'app', 'web', ['cat', '/etc/config/mode'], out, null, null, false, resolve).catch(reject);
  });
  assert.equal(status.status, 'Success');
  assert.equal(text, 'fast');
});

test('with a terminal (tty=true) the shell prompts, echoes keys, edits the line and ends on Ctrl-D', async () => {
  const { WebSocket } = await import('ws');
  const token = parse(readFileSync(kc, 'utf8')).users[0].user.token;
  const url = `${h.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/app/exec?command=sh&stdin=true&stdout=true&tty=true`;
  const ws = new WebSocket(url, ['v5.channel.k8s.io'], { headers: { authorization: `Bearer ${token}` }, ca: h.runtime.deps.caCert });
  const frames: Buffer[] = [];
  ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  const key = (s: string) => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(s)]));
  key('echo hix');
  key('\x7f');
  key('\r');
  key('\x04');
  await new Promise<void>((resolve) => ws.on('close', () => resolve()));
  const stdout = Buffer.concat(frames.filter((f) => f[0] === 1).map((f) => f.subarray(1))).toString();
  assert.equal(stdout, '/ # echo hix\b \b\r\nhi\r\n/ # ');
  assert.deepEqual(JSON.parse(Buffer.concat(frames.filter((f) => f[0] === 3).map((f) => f.subarray(1))).toString()), { metadata: {}, status: 'Success' });
});
