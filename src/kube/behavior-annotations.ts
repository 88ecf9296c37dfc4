/**
 * What a simulated container does, declared by pod annotations (documented in docs/simulation.md).
 * Each key may be narrowed to one container by suffixing its name: `kates.dev/crash-after-seconds.app`.
 */
export const ANNOTATION = {
  imagePullSeconds: 'kates.dev/image-pull-seconds',
  readyAfterSeconds: 'kates.dev/ready-after-seconds',
  readiness: 'kates.dev/readiness',
  failLivenessAfterSeconds: 'kates.dev/fail-liveness-after-seconds',
  liveness: 'kates.dev/liveness',
  startupSeconds: 'kates.dev/startup-seconds',
  crashAfterSeconds: 'kates.dev/crash-after-seconds',
  exitCode: 'kates.dev/exit-code',
  runSeconds: 'kates.dev/run-seconds',
  memoryUsage: 'kates.dev/memory-usage',
  cpuUsage: 'kates.dev/cpu-usage',
  stopSeconds: 'kates.dev/stop-seconds',
  imagePullError: 'kates.dev/image-pull-error',
} as const;
