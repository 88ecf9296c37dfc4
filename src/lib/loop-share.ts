/**
 * Sharing one event loop between API requests and controller passes. On Node, better-sqlite3 is
 * synchronous, so a pass over a big cluster runs as one long chain of microtasks: nothing else
 * (another tenant's `GET` included) gets the loop until it does network I/O. Long passes call
 * `yieldToRequests` at safe points (between commits, between pods); once the current slice has
 * run SLICE_MS it gives the loop away and, while API requests are in flight, waits for them
 * (bounded, so a stream of requests cannot starve the controllers).
 *
 * Portable: timers only. On Workers each request has its own isolate and the clock stands still
 * during synchronous work, so this costs nothing there.
 */

/** Synchronous work a pass may do before it gives the loop away. */
const SLICE_MS = 8;
/** The longest one yield waits for in-flight requests. */
const MAX_WAIT_MS = 100;
const POLL_MS = 2;

let inFlight = 0;
let sliceStart = performance.now();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The HTTP layer counts requests (not watches: those stay open) while they are being answered. */
export function requestStarted(): () => void {
  inFlight++;
  let done = false;
  return () => {
    if (!done) inFlight--;
    done = true;
  };
}

/** Gives the loop away if the current slice of synchronous work is used up, and lets in-flight requests finish first. */
export async function yieldToRequests(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return;
  await sleep(0);
  for (let waited = 0; inFlight > 0 && waited < MAX_WAIT_MS; waited += POLL_MS) await sleep(POLL_MS);
  sliceStart = performance.now();
}
