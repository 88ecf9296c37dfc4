/** What `/version` reports to a caller that has not shown a token of the cluster (the API's default version). */
export const DEFAULT_KUBERNETES_VERSION = '1.32';

/**
 * `/version` for a cluster. kubectl's dispatcher picks its bundled binary from `minor`, so it
 * must be the bare minor number (`"32"` for 1.32).
 */
export function versionInfo(kubernetesVersion: string) {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(kubernetesVersion.trim());
  const major = m?.[1] ?? '1';
  const minor = m?.[2] ?? '32';
  const patch = m?.[3] ?? '0';
  return {
    major,
    minor,
    gitVersion: `v${major}.${minor}.${patch}-kates`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
