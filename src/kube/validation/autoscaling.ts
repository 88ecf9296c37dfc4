import type { KubeObject } from '../types.ts';
import { fieldInvalid, fieldRequired, type FieldError } from '../status.ts';

/** autoscaling/v2 HPA (the stored form; v1 bodies are converted first). */
export function validateHpa(hpa: KubeObject): FieldError[] {
  const s = hpa.spec ?? {};
  const errs: FieldError[] = [];
  const ref = s.scaleTargetRef;
  if (!ref) errs.push(fieldRequired('spec.scaleTargetRef'));
  else {
    if (!ref.kind) errs.push(fieldRequired('spec.scaleTargetRef.kind'));
    if (!ref.name) errs.push(fieldRequired('spec.scaleTargetRef.name'));
  }
  const min = s.minReplicas ?? 1;
  if (typeof min !== 'number' || min < 1) errs.push(fieldInvalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (typeof s.maxReplicas !== 'number') errs.push(fieldRequired('spec.maxReplicas'));
  else if (s.maxReplicas < 1) errs.push(fieldInvalid('spec.maxReplicas', s.maxReplicas, 'must be greater than 0'));
  else if (typeof min === 'number' && s.maxReplicas < min)
    errs.push(fieldInvalid('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  return errs;
}

export function validatePdb(pdb: KubeObject): FieldError[] {
  const s = pdb.spec ?? {};
  if (s.minAvailable !== undefined && s.maxUnavailable !== undefined) {
    return [fieldInvalid('spec', s, 'minAvailable and maxUnavailable cannot be both set')];
  }
  return [];
}
