import type { FieldIssue } from '../errors.ts';

/** The Kubernetes minors kates serves, oldest first. */
export const SERVED_VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;

/** Kubelets may be up to three minors older than the API server, never newer (Kubernetes version skew policy, 1.28+). */
export const MAX_KUBELET_SKEW = 3;

export const minorOf = (version: string): number => Number(version.split('.')[1]);

/**
 * Why an upgrade of the control plane from `current` to `target` is refused, if it is: the
 * version is not served, it is a downgrade, it skips a minor, or a pool left behind would fall more
 * than three minors behind the control plane. Same version is allowed when pools lag (they catch up).
 */
export function upgradeIssues(current: string, target: string, pools: { name: string; version: string; upgrading: boolean }[]): FieldIssue[] {
  if (!(SERVED_VERSIONS as readonly string[]).includes(target))
    return [{ field: 'kubernetesVersion', message: `kates serves ${SERVED_VERSIONS.join(', ')}; ${target} is not one of them` }];
  const from = minorOf(current);
  const to = minorOf(target);
  if (to < from) return [{ field: 'kubernetesVersion', message: `downgrades are not supported: the control plane runs ${current}` }];
  if (to > from + 1) {
    return [
      {
        field: 'kubernetesVersion',
        message: `the control plane is upgraded one minor version at a time: ${current} can go to 1.${from + 1}, not ${target}; upgrade to 1.${from + 1} first`,
      },
    ];
  }
  const issues: FieldIssue[] = [];
  pools.forEach((p, i) => {
    if (p.upgrading) return;
    if (to - minorOf(p.version) > MAX_KUBELET_SKEW) {
      issues.push({
        field: `nodePools.${i}`,
        message: `node pool ${p.name} runs ${p.version}, more than ${MAX_KUBELET_SKEW} minors behind ${target}; include it in the upgrade`,
      });
    }
  });
  if (to === from && pools.every((p) => !p.upgrading || p.version === target))
    issues.push({ field: 'kubernetesVersion', message: `the cluster and its node pools already run ${target}` });
  return issues;
}
