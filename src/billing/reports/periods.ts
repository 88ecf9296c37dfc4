/** Invoice periods are calendar months (UTC) of the cluster-clock hours rated, written `YYYY-MM`. */
export type Period = string;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string): boolean {
  return PERIOD.test(text);
}

export function periodOf(ms: number): Period {
  return new Date(ms).toISOString().slice(0, 7);
}

/** [start, end) of a period in epoch ms. */
export function periodRange(period: Period): [number, number] {
  const m = PERIOD.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  return [Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1)];
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
