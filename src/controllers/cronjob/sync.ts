import { asKind, type CronJob, type Job } from '../../kube/objects.ts';
import { requestDeletion } from '../../kube/deletion.ts';
import { isoTime } from '../../lib/clock.ts';
import { StoreError } from '../../store/errors.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { isControlledBy } from '../shared/owners.ts';
import type { Pass } from '../shared/pass.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { timestampMs } from '../shared/pod-state.ts';
import { conditionTrue, jobFinished } from '../job/spec.ts';
import { cleanupFinishedJobs } from './history.ts';
import { jobFromTemplate, jobReference } from './job-template.ts';
import { ScheduleError, missedSchedules, parseSchedule, rfc1123z, scheduledJobName, type Schedule } from './schedule.ts';

/** The controller looks again this long after the next schedule time (nextScheduleDelta). */
const NEXT_SCHEDULE_DELTA_MS = 100;

type ObjectReference = NonNullable<NonNullable<CronJob['status']>['active']>[number];
/** A reference in status.active: jobReference always writes the name and uid. */
type ActiveRef = ObjectReference & { name: string; uid: string };

/**
 * One CronJob (cronjob_controllerv2.go syncCronJob): reconcile status.active with the Jobs that
 * exist, then start the most recent missed run (never back-filling), honouring suspend,
 * startingDeadlineSeconds and concurrencyPolicy; trim history; wake up at the next schedule time.
 */
export async function syncCronJob(pass: Pass, cj: CronJob, owned: Job[]): Promise<void> {
  const status = structuredClone(cj.status ?? {});
  let active = [...(status.active ?? [])] as ActiveRef[];
  const byUid = new Map(owned.map((j) => [j.metadata.uid!, j]));

  for (const job of owned) {
    const listed = active.some((a) => a.uid === job.metadata.uid);
    const finished = jobFinished(job);
    if (!listed && !finished && !job.metadata.deletionTimestamp) {
      // A run whose status update was lost: it is ours (controller reference), so track it.
      active.push(jobReference(job));
    } else if (listed && finished) {
      active = active.filter((a) => a.uid !== job.metadata.uid);
      const type = conditionTrue(job, 'Complete') ? 'Complete' : 'Failed';
      await pass.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${type}`);
    }
    if (conditionTrue(job, 'Complete') && job.status?.completionTime) {
      const last = timestampMs(status.lastSuccessfulTime);
      const done = timestampMs(job.status.completionTime)!;
      if (last === undefined || done > last) status.lastSuccessfulTime = job.status.completionTime;
    }
  }
  for (const ref of [...active]) {
    if (byUid.has(ref.uid)) continue;
    active = active.filter((a) => a.uid !== ref.uid);
    await pass.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
  }

  const save = async () => {
    if (active.length) status.active = active;
    else delete status.active;
    if (canonicalJson(status) === canonicalJson(cj.status ?? {})) return;
    await pass.attempt(() => pass.store.update(pass.clusterId, 'cronjobs.batch', { ...cj, status }));
  };
  if (cj.metadata.deletionTimestamp) return save();

  let schedule: Schedule;
  try {
    schedule = parseSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone);
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    const tzError = cj.spec?.timeZone && err.message.startsWith('unknown time zone');
    if (tzError) await pass.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${cj.spec?.timeZone}": ${err.message}`);
    else await pass.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec?.schedule}" : ${err.message}`);
    return save();
  }
  await cleanupFinishedJobs(pass, cj, owned);
  if (cj.spec?.suspend) return save();

  const now = pass.nowMs;
  pass.wakeAt(schedule.next(now) + NEXT_SCHEDULE_DELTA_MS);
  const deadline: number | undefined = cj.spec?.startingDeadlineSeconds ?? undefined;
  let earliest = timestampMs(status.lastScheduleTime) ?? timestampMs(cj.metadata.creationTimestamp) ?? now;
  if (deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  const { mostRecent, missed } = missedSchedules(schedule, earliest, now);
  if (missed > 100) {
    await pass.event(
      cj,
      'Warning',
      'TooManyMissedTimes',
      `too many missed start times: ${missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`,
    );
  }
  if (mostRecent === undefined) return save();
  if (deadline !== undefined && mostRecent + deadline * 1000 < now) {
    await pass.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(mostRecent)}`);
    return save();
  }
  const name = scheduledJobName(cj.metadata.name!, mostRecent);
  if (active.some((a) => a.name === name)) return save();
  const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    await pass.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
    return save();
  }
  if (policy === 'Replace') {
    for (const ref of [...active]) {
      const done = await pass.attempt(() =>
        requestDeletion(pass.store, pass.clusterId, 'jobs.batch', cj.metadata.namespace ?? '', ref.name, {
          propagationPolicy: 'Background',
          preconditions: { uid: ref.uid },
        }),
      );
      if (!done) continue;
      active = active.filter((a) => a.uid !== ref.uid);
      await pass.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${ref.name}`);
    }
  }
  const created = await createJob(pass, cj, mostRecent);
  if (!created) return save();
  if (!active.some((a) => a.uid === created.metadata.uid)) active.push(jobReference(created));
  status.lastScheduleTime = isoTime(mostRecent);
  await save();
}

async function createJob(pass: Pass, cj: CronJob, scheduledMs: number): Promise<Job | undefined> {
  const job = jobFromTemplate(cj, scheduledMs);
  // The Job goes through admission as a client's would (quota on count/jobs.batch, LimitRange...).
  const admission = new CreateAdmission(pass.store, pass.clusterId);
  const ns = cj.metadata.namespace ?? '';
  const refused = (await admission.forbiddenReason('jobs.batch', ns, job.metadata.name!)) ?? (await admission.admit('jobs.batch', job));
  if (refused) {
    // Not recorded as scheduled: a later pass (a tick, or the quota changing) tries again.
    await pass.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${refused}`);
    return undefined;
  }
  const ops = await admission.createOps([job]);
  try {
    pass.spend();
    const [created] = await pass.store.commit(pass.clusterId, ops);
    await pass.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    return asKind('jobs.batch', created);
  } catch (err) {
    if (err instanceof StoreError && err.reason === 'Conflict' && err.details.resource === 'resourcequotas') {
      // Another create charged the quota first: admit again on the fresh quota next pass.
      pass.markRaced();
      return undefined;
    }
    if (!(err instanceof StoreError) || err.reason !== 'AlreadyExists') throw err;
    // Created by an earlier pass whose status write was lost: the run happened.
    const existing = await pass.store.get(pass.clusterId, 'jobs.batch', cj.metadata.namespace ?? '', job.metadata.name!);
    return existing && isControlledBy(existing, cj) ? asKind('jobs.batch', existing) : undefined;
  }
}
