import type { KubeObject } from '../../../src/kube/types.ts';
import { isPodActive, isPodAvailable } from '../../../src/controllers/shared/pod-state.ts';
import type { ControllerWorld } from './context.ts';

/**
 * Follows pods through the store's commit stream (the watch events), so a test can check an
 * invariant after every single write, not only at the end of a pass.
 */
export class PodWatch {
  readonly pods = new Map<string, KubeObject>();
  readonly violations: string[] = [];
  private checks: ((pods: KubeObject[], nowMs: number) => string | undefined)[] = [];

  constructor(private readonly world: ControllerWorld) {
    world.store.onCommit((_cluster, events) => {
      let touched = false;
      for (const e of events) {
        if (e.resource !== 'pods') continue;
        touched = true;
        if (e.type === 'DELETED') this.pods.delete(e.object.metadata.uid!);
        else this.pods.set(e.object.metadata.uid!, e.object);
      }
      if (touched) this.check();
    });
  }

  /** Registers an invariant; a returned string is recorded as a violation. */
  invariant(check: (pods: KubeObject[], nowMs: number) => string | undefined): void {
    this.checks.push(check);
  }

  private check(): void {
    const pods = [...this.pods.values()];
    for (const c of this.checks) {
      const v = c(pods, this.world.clock.now());
      if (v) this.violations.push(v);
    }
  }

  static counts(pods: KubeObject[], nowMs: number, minReadySeconds: number, filter: (p: KubeObject) => boolean = () => true) {
    const mine = pods.filter(filter);
    return {
      active: mine.filter(isPodActive).length,
      available: mine.filter((p) => isPodActive(p) && isPodAvailable(p, minReadySeconds, nowMs)).length,
    };
  }
}
