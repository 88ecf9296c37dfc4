import { session } from './api.js';
import { renderSignIn } from './signin.js';
import { renderClusters } from './clusters.js';
import { renderCluster, renderClusterTab } from './cluster.js';
import { renderInvoices } from './invoices.js';
import { renderBudgets } from './budgets.js';

// Each render gets a `view` whose timers stop when the user navigates away.
let current = { timers: [] };

function newView() {
  for (const t of current.timers) clearTimeout(t);
  const view = {
    timers: [],
    every(ms, fn) {
      for (const t of view.timers) clearTimeout(t);
      view.timers = [setTimeout(() => view === current && fn(), ms)];
    },
  };
  current = view;
  return view;
}

async function route() {
  const view = newView();
  const path = location.hash.replace(/^#/, '') || '/clusters';
  document.getElementById('nav').hidden = !session.token;
  if (!session.token || path === '/signin') return renderSignIn();
  const cluster = /^\/clusters\/([^/]+)$/.exec(path);
  if (cluster) return renderCluster(view, cluster[1]);
  const tab = /^\/clusters\/([^/]+)\/(nodes|workloads|pods|services|events|settings)$/.exec(path);
  if (tab) return renderClusterTab(view, tab[1], tab[2]);
  if (path === '/invoices') return renderInvoices();
  if (path === '/budgets') return renderBudgets();
  return renderClusters(view);
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.clear();
  location.hash = '#/signin';
});
window.addEventListener('hashchange', route);
// uPlot loads as a deferred classic script; modules run after it, so it is there by now.
route();
