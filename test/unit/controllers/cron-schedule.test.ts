import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScheduleError, missedSchedules, parseSchedule, rfc1123z, rfc3339InZone, scheduledJobName } from '../../../src/controllers/cronjob/schedule.ts';

const T = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

test('standard 5-field schedules, names and descriptors', () => {
  assert.equal(iso(parseSchedule('*/5 * * * *').next(T('2026-01-01T00:00:00Z'))), '2026-01-01T00:05:00.000Z');
  assert.equal(iso(parseSchedule('0 12 * JAN MON-FRI').next(T('2026-01-03T00:00:00Z'))), '2026-01-05T12:00:00.000Z');
  assert.equal(iso(parseSchedule('@hourly').next(T('2026-01-01T00:30:00Z'))), '2026-01-01T01:00:00.000Z');
  assert.equal(iso(parseSchedule('@annually').next(T('2026-06-01T00:00:00Z'))), '2027-01-01T00:00:00.000Z');
  assert.equal(iso(parseSchedule('? * * * *').next(T('2026-01-01T00:00:30Z'))), '2026-01-01T00:01:00.000Z');
});

test('day-of-month and day-of-week restricted together match either (the Vixie cron rule)', () => {
  const s = parseSchedule('0 0 13 * 5'); // the 13th, or any Friday
  assert.equal(iso(s.next(T('2026-01-01T00:00:00Z'))), '2026-01-02T00:00:00.000Z');
  assert.equal(iso(s.next(T('2026-01-09T00:00:00Z'))), '2026-01-13T00:00:00.000Z');
});

test('timeZone: 09:00 in Europe/Paris is 08:00Z in winter and 07:00Z after the DST switch', () => {
  const s = parseSchedule('0 9 * * *', 'Europe/Paris');
  assert.equal(iso(s.next(T('2026-03-28T00:00:00Z'))), '2026-03-28T08:00:00.000Z');
  assert.equal(iso(s.next(T('2026-03-28T12:00:00Z'))), '2026-03-29T07:00:00.000Z');
  assert.equal(rfc3339InZone(T('2026-03-29T07:00:00Z'), 'Europe/Paris'), '2026-03-29T09:00:00+02:00');
  assert.equal(rfc3339InZone(T('2026-01-01T00:05:00Z'), undefined), '2026-01-01T00:05:00Z');
});

test('what Kubernetes rejects is rejected: seconds, L, #, H, unknown descriptors and zones', () => {
  for (const bad of ['0 0 * * * *', '0 0 L * *', '0 0 * * 1#2', 'H * * * *', '@every 5m', '61 * * * *', '* * *']) {
    assert.throws(() => parseSchedule(bad), ScheduleError, bad);
  }
  assert.throws(() => parseSchedule('* * * * *', 'Mars/Olympus'), /unknown time zone/);
  assert.equal(iso(parseSchedule('TZ=Asia/Tokyo 0 9 * * *').next(T('2026-01-01T00:00:00Z'))), '2026-01-02T00:00:00.000Z');
});

test('missed schedules: only the latest runs; the count is exact up to 100, then estimated', () => {
  const s = parseSchedule('* * * * *');
  assert.deepEqual(missedSchedules(s, T('2026-01-01T00:00:00Z'), T('2026-01-01T00:00:59Z')), { missed: 0 });
  assert.deepEqual(missedSchedules(s, T('2026-01-01T00:00:00Z'), T('2026-01-01T00:01:00Z')), { mostRecent: T('2026-01-01T00:01:00Z'), missed: 1 });
  assert.deepEqual(missedSchedules(s, T('2026-01-01T00:00:00Z'), T('2026-01-01T00:10:30Z')), { mostRecent: T('2026-01-01T00:10:00Z'), missed: 10 });
  const many = missedSchedules(s, T('2026-01-01T00:00:00Z'), T('2026-01-01T05:00:10Z'));
  assert.equal(many.mostRecent, T('2026-01-01T05:00:00Z'));
  assert.equal(many.missed, 300);
});

test('Job names use the scheduled time in minutes since the epoch; events print times like Go RFC1123Z', () => {
  assert.equal(scheduledJobName('hello', T('2026-01-01T00:01:00Z')), `hello-${T('2026-01-01T00:01:00Z') / 60_000}`);
  assert.equal(rfc1123z(T('2026-01-01T00:05:00Z')), 'Thu, 01 Jan 2026 00:05:00 +0000');
});
