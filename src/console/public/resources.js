// The cluster's Kubernetes objects as a cloud console lists them: nodes, workloads, pods, services and
// events, each with its YAML; pods with their logs. Read through the cluster's Kubernetes API.

import { h, badge, when } from './dom.js';
import { api, kube, KINDS, objectPath, podRequests, quantity } from './kube.js';
import { openDialog } from './dialog.js';
import { stringify } from './vendor/yaml/index.js';

const POOL_LABEL = 'kates.dev/node-pool';

// Objects carry times of the cluster's own clock, which may run faster than ours (timeScale) or be
// advanced: ages are measured against the cluster's now, read with each refresh.
let clusterOffsetMs = 0;
const age = (iso) => {
  if (!iso) return '—';
  const s = Math.max(0, (Date.now() + clusterOffsetMs - Date.parse(iso)) / 1000);
  return s < 120 ? `${Math.round(s)}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
};
const cores = (n) => (n < 1 ? `${Math.round(n * 1000)}m` : `${n.toFixed(2)}`);
const gib = (n) => `${(n / 1024 ** 3).toFixed(1)} GiB`;

function table(id, headers, rows, empty) {
  return h(
    'table',
    { id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...headers.map((t) => h('th', { class: /^(Ready|Restarts|CPU|Memory|Pods|Count|Desired|Available|Completions)/.test(t) ? 'num' : undefined }, t)),
      ),
    ),
    h('tbody', {}, ...(rows.length ? rows : [h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, empty))])),
  );
}

/** A button that shows the object's YAML as the API serves it. */
function yamlButton(clusterId, kind, namespace, name) {
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary small',
      'data-yaml': `${kind}/${namespace ? `${namespace}/` : ''}${name}`,
      onclick: async () => {
        const obj = await kube(clusterId, objectPath(kind, namespace, name));
        openDialog(`${kind} ${namespace ? `${namespace}/` : ''}${name}`, h('pre', { class: 'code', id: 'yaml' }, stringify(obj)), {
          id: 'yaml-dialog',
          wide: true,
        });
      },
    },
    'YAML',
  );
}

function logsButton(clusterId, pod) {
  const containers = pod.spec.containers.map((c) => c.name);
  return h(
    'button',
    {
      type: 'button',
      class: 'secondary small',
      'data-logs': `${pod.metadata.namespace}/${pod.metadata.name}`,
      onclick: async () => {
        const pick = h('select', { id: 'log-container' }, ...containers.map((c) => h('option', { value: c }, c)));
        const out = h('pre', { class: 'code', id: 'logs' }, 'loading…');
        const load = async () => {
          try {
            out.textContent =
              (await kube(
                clusterId,
                `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/log?container=${encodeURIComponent(pick.value)}&tailLines=500&timestamps=true`,
                { text: true },
              )) || '(no output yet)';
          } catch (err) {
            out.textContent = err.message;
          }
        };
        pick.addEventListener('change', load);
        openDialog(
          `Logs of ${pod.metadata.namespace}/${pod.metadata.name}`,
          h('div', {}, containers.length > 1 ? h('label', {}, 'Container', pick) : null, out),
          { id: 'logs-dialog', wide: true },
        );
        await load();
      },
    },
    'Logs',
  );
}

export function nodesTable(clusterId, nodes, pods) {
  const byNode = new Map();
  for (const p of pods) {
    if (!p.spec.nodeName || ['Succeeded', 'Failed'].includes(p.status?.phase)) continue;
    const r = podRequests(p);
    const n = byNode.get(p.spec.nodeName) ?? { cpu: 0, memory: 0, pods: 0 };
    byNode.set(p.spec.nodeName, { cpu: n.cpu + r.cpu, memory: n.memory + r.memory, pods: n.pods + 1 });
  }
  const rows = nodes.map((n) => {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    const status = ready?.status === 'True' ? 'Ready' : ready?.status === 'Unknown' ? 'NotReady' : 'NotReady';
    const used = byNode.get(n.metadata.name) ?? { cpu: 0, memory: 0, pods: 0 };
    const alloc = n.status?.allocatable ?? {};
    const pct = (a, b) => (b ? ` (${Math.round((a / b) * 100)}%)` : '');
    return h(
      'tr',
      { 'data-node': n.metadata.name },
      h('td', {}, n.metadata.name),
      h('td', {}, n.metadata.labels?.[POOL_LABEL] ?? '—'),
      h('td', {}, badge(n.spec?.unschedulable ? `${status},SchedulingDisabled` : status)),
      h('td', {}, n.metadata.labels?.['node.kubernetes.io/instance-type'] ?? ''),
      h('td', { class: 'num' }, `${cores(used.cpu)} / ${cores(quantity(alloc.cpu))}${pct(used.cpu, quantity(alloc.cpu))}`),
      h('td', { class: 'num' }, `${gib(used.memory)} / ${gib(quantity(alloc.memory))}${pct(used.memory, quantity(alloc.memory))}`),
      h('td', { class: 'num' }, `${used.pods} / ${alloc.pods ?? '?'}`),
      h('td', {}, age(n.metadata.creationTimestamp)),
      h('td', {}, yamlButton(clusterId, 'Node', undefined, n.metadata.name)),
    );
  });
  return table(
    'nodes',
    ['Name', 'Pool', 'Status', 'Type', 'CPU requested / allocatable', 'Memory requested / allocatable', 'Pods', 'Age', ''],
    rows,
    'No nodes.',
  );
}

function readyOf(kind, o) {
  const s = o.status ?? {};
  if (kind === 'Deployment' || kind === 'StatefulSet')
    return [`${s.readyReplicas ?? 0}/${o.spec.replicas ?? 1}`, (s.readyReplicas ?? 0) >= (o.spec.replicas ?? 1)];
  if (kind === 'DaemonSet') return [`${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0}`, (s.numberReady ?? 0) >= (s.desiredNumberScheduled ?? 0)];
  const done = s.succeeded ?? 0;
  const want = o.spec.completions ?? 1;
  return [`${done}/${want}`, done >= want];
}

export function workloadsTable(clusterId, byKind) {
  const rows = Object.entries(byKind).flatMap(([kind, items]) =>
    items.map((o) => {
      const [text, ok] = readyOf(kind, o);
      const images = [...new Set((o.spec.template?.spec?.containers ?? []).map((c) => c.image))].join(', ');
      return h(
        'tr',
        { 'data-workload': `${kind}/${o.metadata.namespace}/${o.metadata.name}` },
        h('td', {}, o.metadata.name),
        h('td', {}, kind),
        h('td', {}, o.metadata.namespace),
        h('td', { class: 'num' }, h('span', { class: `badge ${ok ? 'Ready' : 'NotReady'}` }, text)),
        h('td', {}, images),
        h('td', {}, age(o.metadata.creationTimestamp)),
        h('td', {}, yamlButton(clusterId, kind, o.metadata.namespace, o.metadata.name)),
      );
    }),
  );
  return table('workloads', ['Name', 'Kind', 'Namespace', 'Ready', 'Images', 'Age', ''], rows, 'No workloads.');
}

export function podsTable(clusterId, pods) {
  const rows = pods.map((p) => {
    const statuses = p.status?.containerStatuses ?? [];
    const ready = statuses.filter((c) => c.ready).length;
    const restarts = statuses.reduce((a, c) => a + (c.restartCount ?? 0), 0);
    const waiting = statuses.find((c) => c.state?.waiting)?.state.waiting.reason;
    const phase = p.metadata.deletionTimestamp ? 'Terminating' : (waiting ?? p.status?.phase ?? 'Pending');
    return h(
      'tr',
      { 'data-pod': `${p.metadata.namespace}/${p.metadata.name}` },
      h('td', {}, p.metadata.name),
      h('td', {}, p.metadata.namespace),
      h('td', {}, badge(phase)),
      h('td', { class: 'num' }, `${ready}/${p.spec.containers.length}`),
      h('td', { class: 'num' }, restarts),
      h('td', {}, p.spec.nodeName ?? '—'),
      h('td', {}, p.status?.podIP ?? ''),
      h('td', {}, age(p.metadata.creationTimestamp)),
      h('td', { class: 'actions' }, logsButton(clusterId, p), yamlButton(clusterId, 'Pod', p.metadata.namespace, p.metadata.name)),
    );
  });
  return table('pods', ['Name', 'Namespace', 'Status', 'Ready', 'Restarts', 'Node', 'IP', 'Age', ''], rows, 'No pods.');
}

export function servicesTable(clusterId, services) {
  const rows = services.map((s) =>
    h(
      'tr',
      { 'data-service': `${s.metadata.namespace}/${s.metadata.name}` },
      h('td', {}, s.metadata.name),
      h('td', {}, s.metadata.namespace),
      h('td', {}, s.spec.type ?? 'ClusterIP'),
      h('td', {}, s.spec.clusterIP ?? ''),
      h('td', {}, (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname).join(', ') || '—'),
      h('td', {}, (s.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ')),
      h('td', {}, age(s.metadata.creationTimestamp)),
      h('td', {}, yamlButton(clusterId, 'Service', s.metadata.namespace, s.metadata.name)),
    ),
  );
  return table('services', ['Name', 'Namespace', 'Type', 'Cluster IP', 'External', 'Ports', 'Age', ''], rows, 'No services.');
}

export function kubeEventsTable(events) {
  const sorted = [...events].sort((a, b) => Date.parse(b.lastTimestamp ?? b.eventTime ?? 0) - Date.parse(a.lastTimestamp ?? a.eventTime ?? 0)).slice(0, 200);
  const rows = sorted.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, when(e.lastTimestamp ?? e.eventTime)),
      h('td', {}, badge(e.type)),
      h('td', {}, e.reason),
      h('td', {}, `${e.involvedObject?.kind ?? ''} ${e.involvedObject?.namespace ? `${e.involvedObject.namespace}/` : ''}${e.involvedObject?.name ?? ''}`),
      h('td', {}, e.count > 1 ? `${e.message} (×${e.count})` : e.message),
    ),
  );
  return table('kube-events', ['Last seen', 'Type', 'Reason', 'Object', 'Message'], rows, 'No events.');
}

/** Everything a tab needs, read in one go. */
export async function readTab(clusterId, tab) {
  const list = async (kind) => (await kube(clusterId, KINDS[kind])).items;
  const clock = await api('GET', `/v1/clusters/${clusterId}/traffic`).catch(() => undefined);
  clusterOffsetMs = clock ? Date.parse(clock.clusterTime) - Date.now() : 0;
  if (tab === 'nodes') {
    const [nodes, pods] = await Promise.all([list('Node'), list('Pod')]);
    return nodesTable(clusterId, nodes, pods);
  }
  if (tab === 'workloads') {
    const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
    const lists = await Promise.all(kinds.map(list));
    return workloadsTable(clusterId, Object.fromEntries(kinds.map((k, i) => [k, lists[i]])));
  }
  if (tab === 'pods') return podsTable(clusterId, await list('Pod'));
  if (tab === 'services') return servicesTable(clusterId, await list('Service'));
  return kubeEventsTable(await list('Event'));
}
