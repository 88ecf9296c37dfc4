import type { CronJob, Job } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import type { Pass } from '../shared/pass.ts';
import { conditionTrue } from '../job/spec.ts';

/**
 * cleanupFinishedJobs: keep the newest successfulJobsHistoryLimit (default 3) completed Jobs and
 * failedJobsHistoryLimit (default 1) failed ones, deleting older ones with their pods.
 */
export async function cleanupFinishedJobs(pass: Pass, cj: CronJob, jobs: Job[]): Promise<void> {
  const succeeded = jobs.filter((j) => conditionTrue(j, 'Complete'));
  const failed = jobs.filter((j) => conditionTrue(j, 'Failed'));
  await removeOldest(pass, cj, succeeded, cj.spec?.successfulJobsHistoryLimit ?? 3);
  await removeOldest(pass, cj, failed, cj.spec?.failedJobsHistoryLimit ?? 1);
}

async function removeOldest(pass: Pass, cj: CronJob, jobs: Job[], limit: number): Promise<void> {
  const live = jobs.filter((j) => !j.metadata.deletionTimestamp);
  if (live.length <= limit) return;
  // Oldest start first; Jobs that never started sort last (byJobStartTime).
  live.sort((a, b) => {
    const sa = a.status?.startTime;
    const sb = b.status?.startTime;
    if (sa !== sb) {
      if (!sa) return 1;
      if (!sb) return -1;
      return sa < sb ? -1 : 1;
    }
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
  for (const job of live.slice(0, live.length - limit)) {
    const done = await pass.attempt(() =>
      requestDeletion(pass.store, pass.clusterId, 'jobs.batch', job.metadata.namespace ?? '', job.metadata.name!, {
        propagationPolicy: 'Background',
        preconditions: { uid: job.metadata.uid },
      }),
    );
    if (done) await pass.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
  }
}
