import type { InstanceFamily, InstanceType, ProviderCatalog } from './types.ts';

/** AKS max pods: Azure CNI Overlay, the default network plugin for new clusters, allows 250 pods per
 * node (kubenet's default is 110 and legacy Azure CNI's 30; AKS docs "Azure CNI Overlay networking"). */
const AKS_MAX_PODS = 250;

/** Standard_D2s_v3 at $0.096 in East US is from shared/pricing.md §4.2; the others are commonly
 * published pay-as-you-go Linux prices, not re-checked against the Azure Retail Prices API. */
function prices(eastUs: number, westEurope: number): Record<string, number> {
  return { eastus: eastUs, westeurope: westEurope };
}

function shape(name: string, family: InstanceFamily, vcpu: number, memoryGiB: number, eastUs: number, westEurope: number): InstanceType {
  return { name, family, vcpu, memoryGiB, maxPods: AKS_MAX_PODS, hourlyMicroUsd: prices(eastUs, westEurope) };
}

export const aksCatalog: ProviderCatalog = {
  provider: 'aks',
  regions: {
    // AKS labels nodes with zones of the form <region>-<n>.
    eastus: ['eastus-1', 'eastus-2', 'eastus-3'],
    westeurope: ['westeurope-1', 'westeurope-2', 'westeurope-3'],
  },
  tiers: ['free', 'standard', 'premium'],
  // `az aks create` uses the Free tier unless --tier is given.
  defaultTier: 'free',
  instanceTypes: [
    shape('Standard_B2s', 'burstable', 2, 4, 41_600, 45_600),
    shape('Standard_B2ms', 'burstable', 2, 8, 83_200, 91_200),
    shape('Standard_D2s_v3', 'general', 2, 8, 96_000, 111_000),
    shape('Standard_D4s_v3', 'general', 4, 16, 192_000, 222_000),
    shape('Standard_D8s_v3', 'general', 8, 32, 384_000, 444_000),
    shape('Standard_D16s_v3', 'general', 16, 64, 768_000, 888_000),
    shape('Standard_D2s_v5', 'general', 2, 8, 96_000, 111_000),
    shape('Standard_D4s_v5', 'general', 4, 16, 192_000, 222_000),
    shape('Standard_F2s_v2', 'compute', 2, 4, 84_600, 96_000),
    shape('Standard_F4s_v2', 'compute', 4, 8, 169_000, 192_000),
    shape('Standard_E2s_v3', 'memory', 2, 16, 126_000, 148_000),
    shape('Standard_E4s_v3', 'memory', 4, 32, 252_000, 296_000),
  ],
};
