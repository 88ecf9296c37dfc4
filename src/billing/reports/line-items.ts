import { centsPreservingTotal, formatCents, formatNanoPrice, formatQuantity, type Money } from '../money.ts';

/** The shape every priced result shows a charge in (issue 7: `{item, quantity, unit, unitPrice, amount}`). */
export interface LineItem {
  item: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: Money;
  amount: Money;
}

/** What a line aggregates: rated lines or summed usage records. */
export interface ChargeSum {
  lineItem: string;
  unit: string;
  unitPriceNano: number;
  quantityMicro: number;
  amountMicro: number;
  /** A label to prefix the description with (e.g. the cluster's name on an invoice). */
  context?: string;
  /** Whose wording to describe the item in, when lines of several providers are mixed. */
  provider?: string;
  /** Who the line belongs to (e.g. a cluster id); lines of different owners are never merged. */
  ref?: string;
}

const units: Record<string, string> = {
  'autopilot:cpu': 'Autopilot pod vCPU requests',
  'autopilot:memory': 'Autopilot pod memory requests',
  'autopilot:ephemeral-storage': 'Autopilot pod ephemeral storage requests',
  'load-balancer': 'Load balancer',
};

const providerNames: Record<string, string> = { eks: 'EKS', gke: 'GKE', aks: 'AKS' };

export function describeLineItem(provider: string, lineItem: string): string {
  const [kind, what] = splitItem(lineItem);
  if (units[lineItem]) return units[lineItem];
  if (lineItem === 'control-plane:extended-support')
    return `${providerNames[provider] ?? provider} control plane, extended support (Kubernetes version past standard support)`;
  if (kind === 'surge-node') return `${what} surge node during an upgrade (on-demand)`;
  if (kind === 'control-plane') return `${providerNames[provider] ?? provider} control plane, ${what} tier`;
  if (kind === 'node') return `${what} on-demand instance`;
  if (kind === 'storage') return `${what} block storage`;
  if (kind === 'credit') return `${providerNames[provider] ?? provider} ${what.replace(/-/g, ' ')} credit`;
  return lineItem;
}

function splitItem(lineItem: string): [string, string] {
  const i = lineItem.indexOf(':');
  return i < 0 ? [lineItem, ''] : [lineItem.slice(0, i), lineItem.slice(i + 1)];
}

/**
 * Merges charges with the same item, price and context into lines, in first-seen order, and rounds
 * each to the cent so that the lines add up exactly to the rounded total.
 */
export function toLineItems(provider: string, charges: ChargeSum[]): { lineItems: LineItem[]; totalMicro: number; total: Money } {
  const { lineItems, totalMicro, total } = toLineItemsWithSources(provider, charges);
  return { lineItems, totalMicro, total };
}

/** As `toLineItems`, also returning the merged charge behind each line (same order). */
export function toLineItemsWithSources(
  provider: string,
  charges: ChargeSum[],
): { lines: ChargeSum[]; lineItems: LineItem[]; totalMicro: number; total: Money } {
  const merged = new Map<string, ChargeSum>();
  for (const c of charges) {
    const key = `${c.ref ?? ''}\u0000${c.context ?? ''}\u0000${c.provider ?? ''}\u0000${c.lineItem}\u0000${c.unitPriceNano}\u0000${c.unit}`;
    const m = merged.get(key);
    if (m) {
      m.quantityMicro += c.quantityMicro;
      m.amountMicro += c.amountMicro;
    } else merged.set(key, { ...c });
  }
  const list = [...merged.values()];
  const cents = centsPreservingTotal(list.map((c) => c.amountMicro));
  const lineItems = list.map((c, i) => {
    const description = describeLineItem(c.provider ?? provider, c.lineItem);
    return {
      item: c.lineItem,
      description: c.context ? `${c.context}: ${description}` : description,
      quantity: formatQuantity(c.quantityMicro),
      unit: c.unit,
      unitPrice: { amount: formatNanoPrice(c.unitPriceNano), currency: 'USD' as const },
      amount: { amount: formatCents(cents[i]), currency: 'USD' as const },
    };
  });
  const totalMicro = list.reduce((a, c) => a + c.amountMicro, 0);
  return { lines: list, lineItems, totalMicro, total: { amount: formatCents(cents.reduce((a, b) => a + b, 0)), currency: 'USD' } };
}
