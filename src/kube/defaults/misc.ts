/* eslint-disable @typescript-eslint/no-explicit-any */
/** Defaulting of the autoscaling, storage and policy kinds. */

/** autoscaling/v2: minReplicas 1, 80% CPU when no metric is given, behavior filled in only when present. */
export function defaultHpaV2(hpa: any): void {
  hpa.spec ??= {};
  const s = hpa.spec;
  s.minReplicas ??= 1;
  if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
    s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (s.behavior && typeof s.behavior === 'object') {
    const up = (s.behavior.scaleUp ??= {});
    up.stabilizationWindowSeconds ??= 0;
    up.selectPolicy ??= 'Max';
    up.policies ??= [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ];
    const down = (s.behavior.scaleDown ??= {});
    down.selectPolicy ??= 'Max';
    down.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
}

export function defaultStorageClass(sc: any): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

export function defaultVpa(vpa: any): void {
  vpa.spec ??= {};
  vpa.spec.updatePolicy ??= {};
  vpa.spec.updatePolicy.updateMode ??= 'Auto';
}

export function defaultPriorityClass(pc: any): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}
