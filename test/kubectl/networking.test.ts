import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

let h: Harness;
let owner: { token: string };
let kc: string;
before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  // 60×: the simulated load balancer's 5 s of provisioning pass in a blink.
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), timeScale: 60 });
  kc = await h.kubeconfig(owner.token, cluster.id);
});
after(() => h.stop());

const run = (args: string[], input?: string, config = kc) => h.kubectl(config, args, input);
async function ok(args: string[], input?: string, config = kc): Promise<string> {
  const r = await run(args, input, config);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('EKS: the alb IngressClass is the default; an Ingress gets an ALB hostname once its backend resolves', async () => {
  assert.match(await ok(['get', 'ingressclass']), /^alb\s+ingress\.k8s\.aws\/alb\s+<none>\s/m);
  assert.equal(await ok(['get', 'ingressclass', 'alb', '-o', 'jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}']), 'true');

  // The backend does not exist yet: the controller says so, as the AWS Load Balancer Controller does, and builds nothing.
  await ok(['create', 'ingress', 'shop', '--rule=shop.example.com/*=web:80']);
  const ing = JSON.parse(await ok(['get', 'ingress', 'shop', '-o', 'json']));
  assert.equal(ing.spec.ingressClassName, 'alb', 'defaulted by the DefaultIngressClass admission');
  const described = await h.waitFor(async () => {
    const d = await ok(['describe', 'ingress', 'shop']);
    return d.includes('FailedBuildModel') ? d : undefined;
  }, 'FailedBuildModel event');
  assert.match(described, /Warning\s+FailedBuildModel\s+.*ingress\s+Failed build model due to ingress: default\/shop: Service "web" not found/);
  assert.deepEqual(JSON.parse(await ok(['get', 'ingress', 'shop', '-o', 'json'])).status?.loadBalancer?.ingress, undefined);

  await ok(['create', 'deployment', 'web', '--image=nginx', '--port=80']);
  await ok(['expose', 'deployment', 'web', '--port=80']);
  const row = await h.waitFor(async () => {
    const out = await ok(['get', 'ingress', 'shop']);
    return /elb\.amazonaws\.com/.test(out) ? out : undefined;
  }, 'ALB address');
  assert.match(row, /^shop\s+alb\s+shop\.example\.com\s+k8s-default-shop-[0-9a-f]{10}-\d{10}\.us-east-1\.elb\.amazonaws\.com\s+80\s/m);
  assert.match(await ok(['describe', 'ingress', 'shop']), /Normal\s+SuccessfullyReconciled\s+.*Successfully reconciled/);

  // An Ingress of a class nobody here implements stays without an address.
  await ok(['create', 'ingress', 'other', '--class=nginx', '--rule=other.example.com/=web:80']);
  await new Promise((r) => setTimeout(r, 1500));
  assert.match(await ok(['get', 'ingress', 'other']), /^other\s+nginx\s+other\.example\.com\s+80\s/m);
});

test("bad Ingresses, IngressClasses and NetworkPolicies answer 422 with upstream's field paths", async () => {
  const noPathType = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: bad }
spec:
  rules:
  - host: a.example.com
    http: { paths: [{ path: /, backend: { service: { name: web, port: { number: 80 } } } }] }
`;
  assert.match(
    (await run(['apply', '-f', '-'], noPathType)).stderr,
    /The Ingress "bad" is invalid: spec.rules\[0\].http.paths\[0\].pathType: Required value: pathType must be specified/,
  );
  const empty = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: empty }\nspec: {}\n';
  assert.match((await run(['apply', '-f', '-'], empty)).stderr, /either `defaultBackend` or `rules` must be specified/);
  const both = noPathType
    .replace('name: bad', 'name: both')
    .replace('path: /,', 'path: /, pathType: Prefix,')
    .replace('port: { number: 80 }', 'port: { number: 80, name: http }');
  assert.match((await run(['apply', '-f', '-'], both)).stderr, /cannot set both port name & port number/);
  const badClass = 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: bad }\nspec: { controller: "no slash" }\n';
  assert.match((await run(['apply', '-f', '-'], badClass)).stderr, /spec.controller: Invalid value: "no slash"/);
  const badPolicy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad }
spec:
  podSelector: {}
  policyTypes: [Sideways]
  ingress:
  - from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [192.168.0.0/16] } }]
    ports: [{ port: 99999 }]
`;
  const refused = await run(['apply', '-f', '-'], badPolicy);
  assert.match(refused.stderr, /The NetworkPolicy "bad" is invalid/);
  assert.match(refused.stderr, /spec.policyTypes\[0\]: Unsupported value: "Sideways"/);
  assert.match(refused.stderr, /spec.ingress\[0\].from\[0\].ipBlock.except\[0\]: Invalid value: "192.168.0.0\/16": must be a strict subset of `cidr`/);
  assert.match(refused.stderr, /spec.ingress\[0\].ports\[0\].port: Invalid value: 99999/);
});

test("NetworkPolicies are stored with upstream's defaults and printed", async () => {
  await ok(
    ['apply', '-f', '-'],
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-only-from-web }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
  - from: [{ podSelector: { matchLabels: { app: web } } }]
    ports: [{ port: 5432 }]
  egress:
  - to: [{ ipBlock: { cidr: 10.0.0.0/8 } }]
`,
  );
  const np = JSON.parse(await ok(['get', 'netpol', 'db-only-from-web', '-o', 'json']));
  assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(np.spec.ingress[0].ports[0].protocol, 'TCP');
  assert.match(await ok(['get', 'networkpolicies']), /^db-only-from-web\s+app=db\s/m);
  assert.match(await ok(['describe', 'netpol', 'db-only-from-web']), /PodSelector:\s+app=db/);
});

test('kubectl apply --prune with its default allowlist removes what left the manifests', async () => {
  const dir = join(h.dataDir, 'prune');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, labels: { app: demo } }\ndata: { k: v }\n`;
  writeFileSync(join(dir, 'a.yaml'), cm('demo-a'));
  writeFileSync(join(dir, 'b.yaml'), cm('demo-b'));
  writeFileSync(
    join(dir, 'ing.yaml'),
    'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: demo, labels: { app: demo } }\nspec: { defaultBackend: { service: { name: web, port: { number: 80 } } } }\n',
  );
  const first = await run(['apply', '--prune', '-l', 'app=demo', '-f', dir]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /configmap\/demo-a created/);
  rmSync(join(dir, 'b.yaml'));
  rmSync(join(dir, 'ing.yaml'));
  const second = await run(['apply', '--prune', '-l', 'app=demo', '-f', dir]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /configmap\/demo-a unchanged/);
  assert.match(second.stdout, /configmap\/demo-b pruned/);
  assert.match(second.stdout, /ingress.networking.k8s.io\/demo pruned/);
  assert.match((await run(['get', 'configmap', 'demo-b'])).stderr, /NotFound/);
});

test('GKE: the gce class gives each Ingress a global IP', async () => {
  const cluster = await h.runningCluster(owner.token, {
    name: 'gke-ing',
    provider: 'gke',
    region: 'us-central1',
    timeScale: 60,
    nodePools: [{ name: 'default', instanceType: 'e2-standard-4', count: 1 }],
  });
  const gkc = await h.kubeconfig(owner.token, cluster.id);
  await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:80'], undefined, gkc);
  await ok(['create', 'ingress', 'site', '--rule=/=web:80'], undefined, gkc);
  const row = await h.waitFor(async () => {
    const out = await ok(['get', 'ingress', 'site'], undefined, gkc);
    return /\b34\.\d+\.\d+\.\d+\b/.test(out) ? out : undefined;
  }, 'GCE address');
  assert.match(row, /^site\s+gce\s+\*\s+34\.\d+\.\d+\.\d+\s+80\s/m);
  assert.match(await ok(['describe', 'ingress', 'site'], undefined, gkc), /Normal\s+IPChanged\s+.*loadbalancer-controller\s+IP is now 34\./);
});
