import type { Provider } from './catalog.ts';

/**
 * When each provider stops supporting the Kubernetes minors kates serves (dates UTC).
 * - EKS: 14 months of standard support, then 12 months of extended support billed at $0.60 instead
 *   of $0.10 per cluster-hour from the first hour past standard support; at its end the control plane
 *   is upgraded automatically (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
 * - GKE: about 14 months of standard support; only clusters on the Extended release channel stay up
 *   to 24 months (extra fee during that time); others are auto-upgraded
 *   (cloud.google.com/kubernetes-engine/docs/release-schedule, versioning).
 * - AKS: about 12 months of community support; Long Term Support adds a second year for clusters on
 *   the Premium tier, whose price already covers it (learn.microsoft.com/azure/aks/long-term-support).
 * GKE and AKS dates are taken from the published schedules of their time and rounded to the month;
 * re-check them before they price anything.
 */
export interface VersionSupport {
  /** Generally available on this provider. */
  released: string;
  /** Last day of standard support: the next day extended support (EKS) or auto-upgrade (GKE) begins. */
  endOfStandard: string;
  /** Last day of extended support (EKS), the Extended channel (GKE) or LTS (AKS). */
  endOfExtended: string;
}

export const SUPPORT_SOURCES: Record<Provider, string> = {
  eks: 'docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (standard 14 months, extended 12 more at $0.60 per cluster-hour)',
  gke: 'cloud.google.com/kubernetes-engine/docs/release-schedule (end of standard support; Extended channel up to 24 months), dates rounded to the month',
  aks: 'learn.microsoft.com/azure/aks/supported-kubernetes-versions and long-term-support (LTS on the Premium tier), dates rounded to the month',
};

export const SUPPORT_CALENDAR: Record<Provider, Record<string, VersionSupport>> = {
  eks: {
    '1.27': { released: '2023-05-24', endOfStandard: '2024-07-24', endOfExtended: '2025-07-24' },
    '1.28': { released: '2023-09-26', endOfStandard: '2024-11-26', endOfExtended: '2025-11-26' },
    '1.29': { released: '2024-01-23', endOfStandard: '2025-03-23', endOfExtended: '2026-03-23' },
    '1.30': { released: '2024-05-23', endOfStandard: '2025-07-23', endOfExtended: '2026-07-23' },
    '1.31': { released: '2024-09-26', endOfStandard: '2025-11-26', endOfExtended: '2026-11-26' },
    '1.32': { released: '2025-01-23', endOfStandard: '2026-03-23', endOfExtended: '2027-03-23' },
    '1.33': { released: '2025-05-29', endOfStandard: '2026-07-29', endOfExtended: '2027-07-29' },
  },
  gke: {
    '1.27': { released: '2023-06-15', endOfStandard: '2024-08-31', endOfExtended: '2025-06-30' },
    '1.28': { released: '2023-09-30', endOfStandard: '2024-12-31', endOfExtended: '2025-09-30' },
    '1.29': { released: '2024-01-31', endOfStandard: '2025-03-31', endOfExtended: '2026-01-31' },
    '1.30': { released: '2024-05-31', endOfStandard: '2025-09-30', endOfExtended: '2026-07-31' },
    '1.31': { released: '2024-09-30', endOfStandard: '2025-12-31', endOfExtended: '2026-09-30' },
    '1.32': { released: '2025-02-28', endOfStandard: '2026-03-31', endOfExtended: '2027-02-28' },
    '1.33': { released: '2025-06-30', endOfStandard: '2026-08-31', endOfExtended: '2027-06-30' },
  },
  aks: {
    '1.27': { released: '2023-07-31', endOfStandard: '2024-07-31', endOfExtended: '2025-07-31' },
    '1.28': { released: '2023-10-31', endOfStandard: '2025-01-31', endOfExtended: '2026-01-31' },
    '1.29': { released: '2024-03-31', endOfStandard: '2025-03-31', endOfExtended: '2026-03-31' },
    '1.30': { released: '2024-07-31', endOfStandard: '2025-07-31', endOfExtended: '2026-07-31' },
    '1.31': { released: '2024-10-31', endOfStandard: '2025-11-30', endOfExtended: '2026-11-30' },
    '1.32': { released: '2025-02-28', endOfStandard: '2026-03-31', endOfExtended: '2027-03-31' },
    '1.33': { released: '2025-06-30', endOfStandard: '2026-06-30', endOfExtended: '2027-06-30' },
  },
};

const DAY_MS = 86_400_000;

/** The instant (epoch ms) a version leaves standard support on a provider: the start of the day after its last day. */
export function standardSupportEndsAt(provider: Provider, version: string): number | undefined {
  const v = SUPPORT_CALENDAR[provider]?.[version];
  return v ? Date.parse(`${v.endOfStandard}T00:00:00Z`) + DAY_MS : undefined;
}

export type SupportPhase = 'standard' | 'extended' | 'end-of-life';

export function supportPhaseAt(provider: Provider, version: string, atMs: number): SupportPhase | undefined {
  const v = SUPPORT_CALENDAR[provider]?.[version];
  if (!v) return undefined;
  if (atMs < standardSupportEndsAt(provider, version)!) return 'standard';
  return atMs < Date.parse(`${v.endOfExtended}T00:00:00Z`) + DAY_MS ? 'extended' : 'end-of-life';
}
