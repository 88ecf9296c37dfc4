import type { Db } from '../../store/db.ts';
import { intervalsOverlapping } from '../interval-reader.ts';
import { freeTierEligible, priceBookAt } from '../price-book.ts';
import { rateWindow } from '../rating/rate-window.ts';
import type { BilledClusterClock } from './tail.ts';

/** What the rest of a period will cost if what runs now keeps running. */
export interface RestOfPeriod {
  micro: number;
  /** The part that is free-tier-eligible cluster fee. */
  freeTierEligibleMicro: number;
  byCluster: Map<string, number>;
}

/**
 * The forecast's second half: every interval open at a cluster's now (its nodes at the current
 * count, volumes, load balancers, Autopilot pods) priced from that now to `periodEnd`, with the book
 * in force now. A scale-in that the last rated hour still holds does not lower it; a node created
 * since does raise it.
 */
export async function restOfPeriod(db: Db, list: BilledClusterClock[], periodEnd: number): Promise<RestOfPeriod> {
  const rest: RestOfPeriod = { micro: 0, freeTierEligibleMicro: 0, byCluster: new Map() };
  const running = list.filter((c) => c.nowMs < periodEnd);
  if (running.length === 0) return rest;
  const from = Math.min(...running.map((c) => c.nowMs));
  const intervals = await intervalsOverlapping(
    db,
    running.map((c) => c.id),
    from,
    periodEnd,
  );
  for (const c of running) {
    const open = (intervals.get(c.id) ?? []).filter((i) => i.endedAt === null && i.startedAt <= c.nowMs);
    if (!open.some((i) => i.kind === 'cluster')) continue;
    const book = priceBookAt(c.provider, c.nowMs);
    const lines = rateWindow(open, { book, region: c.region }, c.nowMs, periodEnd);
    const micro = lines.reduce((a, l) => a + l.amountMicro, 0);
    rest.micro += micro;
    rest.byCluster.set(c.id, micro);
    for (const l of lines) {
      if (l.kind === 'cluster' && freeTierEligible(book, String(l.attributes.tier ?? ''), l.attributes.regional === true))
        rest.freeTierEligibleMicro += l.amountMicro;
    }
  }
  return rest;
}
