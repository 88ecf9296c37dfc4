// A cluster's node pools (resize, autoscaling bounds), its kubeconfig and its deletion.

import { h, badge, errorText } from './dom.js';
import { api } from './api.js';
import { kubeconfigText } from './kube.js';
import { confirmByName, download } from './dialog.js';

function poolRow(cluster, pool, onChanged) {
  const num = (id, value, min = 0) => h('input', { type: 'number', min, max: 1000, value, class: 'narrow', 'data-field': id });
  const count = num('count', pool.count);
  const min = num('minCount', pool.minCount);
  const max = num('maxCount', pool.maxCount);
  const auto = h('input', { type: 'checkbox', checked: pool.autoscaling, 'data-field': 'autoscaling' });
  const error = h('span', { class: 'error' });
  const save = h(
    'button',
    {
      type: 'button',
      'data-save-pool': pool.name,
      disabled: cluster.status !== 'RUNNING',
      onclick: async () => {
        error.textContent = '';
        const change = { name: pool.name, count: Number(count.value), minCount: Number(min.value), maxCount: Number(max.value), autoscaling: auto.checked };
        try {
          await api('PATCH', `/v1/clusters/${cluster.id}`, { nodePools: [change] });
          onChanged();
        } catch (err) {
          error.textContent = errorText(err);
        }
      },
    },
    'Apply',
  );
  return h(
    'tr',
    { 'data-pool': pool.name },
    h('td', {}, pool.name),
    h('td', {}, pool.instanceType),
    h('td', {}, count),
    h('td', {}, h('label', { class: 'check' }, auto, 'autoscale')),
    h('td', {}, min),
    h('td', {}, max),
    h('td', {}, save, error),
  );
}

export function poolsCard(cluster, onChanged) {
  return h(
    'div',
    { class: 'card', id: 'node-pools' },
    h('div', { class: 'row' }, h('h2', {}, 'Node pools'), badge(cluster.status)),
    h(
      'p',
      { class: 'muted' },
      'A new count adds or removes nodes (an UPDATE_CLUSTER operation). With autoscaling, the cluster autoscaler keeps the count between the bounds.',
    ),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['Pool', 'Instance type', 'Nodes', 'Autoscaling', 'Min', 'Max', ''].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...cluster.nodePools.map((p) => poolRow(cluster, p, onChanged))),
    ),
  );
}

export function accessCard(cluster, onDeleted) {
  const error = h('div', { class: 'error', role: 'alert' });
  return h(
    'div',
    { class: 'card', id: 'access' },
    h('h2', {}, 'Access and lifecycle'),
    h('p', { class: 'muted' }, `Kubernetes API: ${cluster.endpoint}`),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          id: 'download-kubeconfig',
          onclick: async () => {
            error.textContent = '';
            try {
              download(`kubeconfig-${cluster.name}.yaml`, await kubeconfigText(cluster.id), 'application/yaml');
            } catch (err) {
              error.textContent = err.status === 403 ? 'Your role cannot download a kubeconfig (owner or developer).' : errorText(err);
            }
          },
        },
        'Download kubeconfig',
      ),
      h('span', { class: 'spacer' }),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          id: 'delete-cluster',
          disabled: !['RUNNING', 'FAILED'].includes(cluster.status),
          onclick: async () => {
            if (!(await confirmByName('cluster', cluster.name))) return;
            try {
              await api('DELETE', `/v1/clusters/${cluster.id}`);
              onDeleted();
            } catch (err) {
              error.textContent = errorText(err);
            }
          },
        },
        'Delete cluster',
      ),
    ),
    error,
  );
}
