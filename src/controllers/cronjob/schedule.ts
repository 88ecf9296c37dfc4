import { CronExpressionParser } from 'cron-parser';

/** robfig/cron's descriptors, the only `@` forms Kubernetes accepts. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface Schedule {
  /** The first schedule time strictly after `ms`. */
  next(ms: number): number;
  /** The latest schedule time at or before `ms`, if any. */
  latestAtOrBefore(ms: number): number | undefined;
}

export class ScheduleError extends Error {}

/**
 * A standard 5-field cron schedule (minute hour day-of-month month day-of-week, `?` as `*`, names
 * for months and days, the robfig descriptors) evaluated in `timeZone` (IANA; UTC when unset).
 * A `TZ=`/`CRON_TZ=` prefix, which old objects may carry, also sets the zone. Extensions robfig's
 * standard parser rejects (seconds, L, #, H) are rejected here too.
 */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  let expr = schedule.trim();
  let tz = timeZone;
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expr);
  if (prefix) {
    tz ??= prefix[1];
    expr = prefix[2].trim();
  }
  if (expr.startsWith('@')) {
    const macro = MACROS[expr.toLowerCase()];
    if (!macro) throw new ScheduleError(`unrecognized descriptor: ${expr}`);
    expr = macro;
  }
  const fields = expr.split(/\s+/);
  if (fields.length !== 5) throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: ${expr}`);
  // Letters are only allowed as month and weekday names.
  const withoutNames = expr.replace(/\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)\b/gi, '0');
  if (/[A-Za-z#]/.test(withoutNames)) throw new ScheduleError(`unsupported character in schedule: ${expr}`);
  if (tz) assertTimeZone(tz);
  const options = (ms: number) => ({ currentDate: new Date(ms), tz: tz ?? 'UTC' });
  try {
    CronExpressionParser.parse(expr, options(0));
  } catch (err) {
    throw new ScheduleError((err as Error).message);
  }
  return {
    next: (ms) => CronExpressionParser.parse(expr, options(ms)).next().getTime(),
    latestAtOrBefore: (ms) => {
      // prev() excludes its start; schedules fall on whole minutes, so start just past `ms`'s second.
      const it = CronExpressionParser.parse(expr, options(Math.floor(ms / 1000) * 1000 + 1000));
      try {
        const t = it.prev().getTime();
        return t <= ms ? t : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export function assertTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ScheduleError(`unknown time zone ${tz}`);
  }
}

export interface MissedSchedules {
  /** The most recent unmet schedule time, if any. */
  mostRecent?: number;
  /** How many schedule times were missed since `earliest` (estimated past 100). */
  missed: number;
}

const TOO_MANY = 100;

/**
 * mostRecentScheduleTime: schedule times after `earliestMs` and at or before `nowMs`. Only the
 * latest one will run (no back-fill); the count feeds the TooManyMissedTimes warning.
 */
export function missedSchedules(schedule: Schedule, earliestMs: number, nowMs: number): MissedSchedules {
  const t1 = schedule.next(earliestMs);
  if (t1 > nowMs) return { missed: 0 };
  const t2 = schedule.next(t1);
  if (t2 > nowMs) return { mostRecent: t1, missed: 1 };
  let count = 2;
  let t = t2;
  while (count <= TOO_MANY) {
    const n = schedule.next(t);
    if (n > nowMs) return { mostRecent: t, missed: count };
    t = n;
    count++;
  }
  // Past 100, estimate the count from the first interval, as the upstream controller does.
  const mostRecent = schedule.latestAtOrBefore(nowMs) ?? t;
  return { mostRecent, missed: Math.floor((nowMs - t1) / (t2 - t1)) + 1 };
}

/** The Job name for a schedule time: `<cronjob>-<minutes since the epoch>` (idempotent per run). */
export function scheduledJobName(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/** RFC 3339 in the CronJob's zone, as the scheduled-timestamp annotation carries it. */
export function rfc3339InZone(ms: number, tz: string | undefined): string {
  if (!tz || tz === 'UTC') return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offsetMin = Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = offsetMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** Go's RFC1123Z in UTC ("Thu, 01 Jan 2026 00:05:00 +0000"), used in the MissSchedule event. */
export function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}
