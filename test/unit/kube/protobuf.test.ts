import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProtobufBody } from '../../../src/kube/protobuf/decode.ts';

// Bodies captured from kubectl 1.32 running against this server (see the capture notes in the
// fixture's keys: order, kubectl command, request path).
const fixtures: Record<string, string> = JSON.parse(readFileSync(new URL('./fixtures/kubectl-protobuf-bodies.json', import.meta.url), 'utf8'));
const body = (prefix: string) => {
  const key = Object.keys(fixtures).find((k) => k.startsWith(`${prefix} `));
  assert.ok(key, `fixture ${prefix}`);
  return decodeProtobufBody(new Uint8Array(Buffer.from(fixtures[key], 'base64')));
};

test('kubectl create deployment: replicas, selector, template, command and ports', () => {
  const d = body('0') as any;
  assert.equal(d.apiVersion, 'apps/v1');
  assert.equal(d.kind, 'Deployment');
  assert.deepEqual(d.metadata, { name: 'web', labels: { app: 'web' } });
  assert.equal(d.spec.replicas, 3);
  assert.deepEqual(d.spec.selector, { matchLabels: { app: 'web' } });
  assert.deepEqual(d.spec.template.spec.containers, [
    { name: 'nginx', image: 'nginx:1.25', command: ['nginx', '-g', 'daemon off;'], ports: [{ containerPort: 80 }], resources: {} },
  ]);
});

test('an explicit replicas: 0 survives decoding (pointer field)', () => {
  assert.equal((body('1') as any).spec.replicas, 0);
});

test('configmap, secret (bytes as base64) and namespace', () => {
  assert.deepEqual(body('2'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1', b: 'two' } });
  const s = body('3') as any;
  assert.equal(atob(s.data.pw), 's3cret');
  assert.equal(s.type, 'Opaque');
  assert.deepEqual((body('4') as any).metadata, { name: 'dev' });
});

test('service: ports with IntOrString targetPort and nodePort', () => {
  const svc = body('5') as any;
  assert.equal(svc.spec.type, 'NodePort');
  assert.deepEqual(svc.spec.ports, [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }]);
  assert.deepEqual(svc.spec.selector, { app: 'np' });
});

test('job and cronjob templates', () => {
  const job = body('6') as any;
  assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  const cj = body('7') as any;
  assert.equal(cj.spec.schedule, '*/5 * * * *');
  assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
});

test('quota, PDB with a percentage, priority class', () => {
  assert.deepEqual((body('8') as any).spec.hard, { pods: '10', 'requests.cpu': '2' });
  assert.equal((body('9') as any).spec.maxUnavailable, '25%');
  const pc = body('10') as any;
  assert.equal(pc.value, 1000);
  assert.equal(pc.preemptionPolicy, 'Never');
  assert.equal(pc.description, 'important');
});

test('kubectl autoscale sends an autoscaling/v1 HPA', () => {
  assert.deepEqual((body('12') as any).spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 2,
    maxReplicas: 10,
    targetCPUUtilizationPercentage: 50,
  });
});

test('kubectl auth can-i sends a SelfSubjectAccessReview', () => {
  assert.deepEqual((body('13') as any).spec, { resourceAttributes: { namespace: 'kube-system', verb: 'list', resource: 'pods' } });
});

test('a body without the k8s magic is a 400, an unknown kind a 415', () => {
  assert.throws(
    () => decodeProtobufBody(new Uint8Array([1, 2, 3, 4, 5])),
    (e: any) => e.code === 400,
  );
  // k8s\0 + Unknown{typeMeta{apiVersion "v1", kind "Pod"}}
  const typeMeta = [0x0a, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6f, 0x64];
  const envelope = [0x6b, 0x38, 0x73, 0x00, 0x0a, typeMeta.length, ...typeMeta];
  assert.throws(
    () => decodeProtobufBody(new Uint8Array(envelope)),
    (e: any) => e.code === 415,
  );
});
