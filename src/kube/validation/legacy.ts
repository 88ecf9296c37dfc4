import type { KubeObject } from '../types.ts';
import { fieldsOf } from '../json.ts';
import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';
import { validateLabels } from './names.ts';
import { validatePodSpec } from './pod.ts';

function nonNegative(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return [fieldInvalid(path, v, 'must be greater than or equal to 0')];
  return [];
}

/** ValidateReplicationControllerSpec: a non-empty map selector that the template's labels satisfy. */
export function validateReplicationController(rc: KubeObject): FieldError[] {
  const s = rc.spec ?? {};
  const errs = [...nonNegative(s.replicas, 'spec.replicas'), ...nonNegative(s.minReadySeconds, 'spec.minReadySeconds')];
  const selector: Record<string, string> | undefined = s.selector;
  if (!selector || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) errs.push(fieldRequired('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  if (!s.template) {
    errs.push(fieldRequired('spec.template'));
    return errs;
  }
  const labels: Record<string, string> = s.template.metadata?.labels ?? {};
  errs.push(...validateLabels(s.template.metadata?.labels, 'spec.template.metadata.labels'));
  if (selector && typeof selector === 'object' && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    errs.push(fieldInvalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(s.template.spec, 'spec.template.spec'));
  const rp = s.template.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always') errs.push(fieldNotSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  return errs;
}

/** ValidatePodTemplate: the template's labels and pod spec. */
export function validatePodTemplate(pt: KubeObject): FieldError[] {
  const t = pt.template;
  if (!t) return [fieldRequired('template')];
  return [...validateLabels(fieldsOf(fieldsOf(t).metadata).labels, 'template.metadata.labels'), ...validatePodSpec(fieldsOf(t).spec, 'template.spec')];
}
