/**
 * Waits for `work` at most `ms`; resolves true when it finished (or failed) in time, false when the
 * time ran out (the work goes on in the background, its failure ignored). Shutdown steps use it so a
 * dead Redis cannot hold a SIGTERM hostage.
 */
export async function bounded(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
