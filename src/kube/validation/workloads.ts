import { fieldsOf, listOf } from '../json.ts';
import type { LabelSelector } from '../selectors/labels.ts';
import type { KubeObject } from '../types.ts';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';
import { fromLabelSelector, matches, SelectorParseError } from '../selectors/labels.ts';
import { validateLabels } from './names.ts';
import { validatePodSpec } from './pod.ts';
import { immutable } from './meta.ts';
import { validatePodFailurePolicy, validateRetryPolicies } from './job-policies.ts';

function nonNegative(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return [fieldInvalid(path, v, 'must be greater than or equal to 0')];
  return [];
}

/** The selector must be present, non-empty and select the template's labels. */
function validateSelectorAndTemplate(rawSpec: unknown, path: string, kindWord: string, allowedRestart: string[], extraVolumes: string[] = []): FieldError[] {
  const spec = fieldsOf(rawSpec);
  const template = fieldsOf(spec.template);
  const errs: FieldError[] = [];
  const sel = spec.selector;
  if (!sel) {
    errs.push(fieldRequired(`${path}.selector`));
  } else {
    let reqs: ReturnType<typeof fromLabelSelector> = null;
    try {
      reqs = fromLabelSelector(sel as LabelSelector);
    } catch (e) {
      if (!(e instanceof SelectorParseError)) throw e;
      errs.push(fieldInvalid(`${path}.selector`, sel, e.message));
    }
    if (reqs && reqs.length === 0) errs.push(fieldInvalid(`${path}.selector`, sel, `empty selector is invalid for ${kindWord}`));
    errs.push(...validateLabels(fieldsOf(sel).matchLabels, `${path}.selector.matchLabels`));
    const labels = fieldsOf(template.metadata).labels as Record<string, string> | undefined;
    if (reqs && reqs.length > 0 && spec.template && !matches(reqs, labels)) {
      errs.push(fieldInvalid(`${path}.template.metadata.labels`, labels ?? {}, '`selector` does not match template `labels`'));
    }
  }
  if (!spec.template) {
    errs.push(fieldRequired(`${path}.template`));
    return errs;
  }
  errs.push(...validateLabels(fieldsOf(template.metadata).labels, `${path}.template.metadata.labels`));
  errs.push(...validatePodSpec(template.spec, `${path}.template.spec`, extraVolumes));
  const rp = fieldsOf(template.spec).restartPolicy;
  if (rp !== undefined && !allowedRestart.includes(rp as string)) errs.push(fieldNotSupported(`${path}.template.spec.restartPolicy`, rp, allowedRestart));
  return errs;
}

function intOrPercentZero(v: unknown): boolean {
  return v === 0 || v === '0%' || v === '0';
}

export function validateDeployment(d: KubeObject, old?: KubeObject): FieldError[] {
  const s = d.spec ?? {};
  const errs = [...nonNegative(s.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(s, 'spec', 'deployment', ['Always'])];
  errs.push(...nonNegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'), ...nonNegative(s.minReadySeconds, 'spec.minReadySeconds'));
  const type = s.strategy?.type;
  if (type !== undefined && type !== 'RollingUpdate' && type !== 'Recreate')
    errs.push(fieldNotSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  if (type === 'Recreate' && s.strategy.rollingUpdate)
    errs.push(fieldForbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  const ru = s.strategy?.rollingUpdate;
  if (type === 'RollingUpdate' && ru && intOrPercentZero(ru.maxUnavailable) && intOrPercentZero(ru.maxSurge)) {
    errs.push(fieldInvalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof s.progressDeadlineSeconds === 'number' && s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
    errs.push(fieldInvalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  if (old) errs.push(...immutable('spec.selector', s.selector, old.spec?.selector));
  return errs;
}

export function validateReplicaSet(rs: KubeObject, old?: KubeObject): FieldError[] {
  const s = rs.spec ?? {};
  const errs = [...nonNegative(s.replicas, 'spec.replicas'), ...nonNegative(s.minReadySeconds, 'spec.minReadySeconds')];
  errs.push(...validateSelectorAndTemplate(s, 'spec', 'replicaset', ['Always']));
  if (old) errs.push(...immutable('spec.selector', s.selector, old.spec?.selector));
  return errs;
}

export function validateStatefulSet(sts: KubeObject, old?: KubeObject): FieldError[] {
  const s = sts.spec ?? {};
  const claimNames = listOf(s.volumeClaimTemplates)
    .map((t) => fieldsOf(fieldsOf(t).metadata).name)
    .filter(Boolean) as string[];
  const errs = [...nonNegative(s.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(s, 'spec', 'statefulset', ['Always'], claimNames)];
  const pmp = s.podManagementPolicy;
  if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel')
    errs.push(fieldNotSupported('spec.podManagementPolicy', pmp, ['OrderedReady', 'Parallel']));
  const ut = s.updateStrategy?.type;
  if (ut !== undefined && ut !== 'RollingUpdate' && ut !== 'OnDelete')
    errs.push(fieldNotSupported('spec.updateStrategy.type', ut, ['OnDelete', 'RollingUpdate']));
  if (old) {
    const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
    const strip = (spec: unknown) => {
      const c: Record<string, unknown> = { ...((spec ?? {}) as object) };
      for (const k of mutable) delete c[k];
      return JSON.stringify(c);
    };
    if (strip(s) !== strip(old.spec)) {
      errs.push(
        fieldForbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

export function validateDaemonSet(ds: KubeObject, old?: KubeObject): FieldError[] {
  const s = ds.spec ?? {};
  const errs = validateSelectorAndTemplate(s, 'spec', 'daemonset', ['Always']);
  const ut = s.updateStrategy?.type;
  if (ut !== undefined && ut !== 'RollingUpdate' && ut !== 'OnDelete')
    errs.push(fieldNotSupported('spec.updateStrategy.type', ut, ['OnDelete', 'RollingUpdate']));
  if (old) errs.push(...immutable('spec.selector', s.selector, old.spec?.selector));
  return errs;
}

function validateJobSpec(rawSpec: unknown, path: string): FieldError[] {
  const s = fieldsOf(rawSpec);
  const errs = [
    ...nonNegative(s.parallelism, `${path}.parallelism`),
    ...nonNegative(s.completions, `${path}.completions`),
    ...nonNegative(s.backoffLimit, `${path}.backoffLimit`),
    ...nonNegative(s.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`),
  ];
  if (!s.template) return [...errs, fieldRequired(`${path}.template`)];
  errs.push(...validatePodSpec(fieldsOf(s.template).spec, `${path}.template.spec`));
  const rp = fieldsOf(fieldsOf(s.template).spec).restartPolicy;
  if (rp !== 'OnFailure' && rp !== 'Never') {
    errs.push(
      rp === undefined
        ? fieldRequired(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"')
        : fieldNotSupported(`${path}.template.spec.restartPolicy`, rp, ['OnFailure', 'Never']),
    );
  } else if (s.podFailurePolicy && rp !== 'Never') {
    // Exit codes and conditions are judged on pods that ended; OnFailure restarts them in place.
    errs.push(fieldInvalid(`${path}.template.spec.restartPolicy`, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  if (s.podFailurePolicy) errs.push(...validatePodFailurePolicy(s, `${path}.podFailurePolicy`));
  errs.push(...validateRetryPolicies(s, path));
  const cm = s.completionMode;
  if (cm !== undefined && cm !== 'NonIndexed' && cm !== 'Indexed') errs.push(fieldNotSupported(`${path}.completionMode`, cm, ['NonIndexed', 'Indexed']));
  if (cm === 'Indexed' && (s.completions === undefined || s.completions === null))
    errs.push(fieldRequired(`${path}.completions`, 'when completion mode is Indexed'));
  return errs;
}

export function validateJob(job: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateJobSpec(job.spec, 'spec');
  if (old) {
    errs.push(...immutable('spec.selector', job.spec?.selector, old.spec?.selector));
    errs.push(...immutable('spec.completions', job.spec?.completions, old.spec?.completions));
    errs.push(...immutable('spec.completionMode', job.spec?.completionMode, old.spec?.completionMode));
    errs.push(...immutable('spec.podFailurePolicy', job.spec?.podFailurePolicy, old.spec?.podFailurePolicy));
    errs.push(...immutable('spec.backoffLimitPerIndex', job.spec?.backoffLimitPerIndex, old.spec?.backoffLimitPerIndex));
    if (!old.spec?.suspend) errs.push(...immutable('spec.template', job.spec?.template, old.spec?.template));
  }
  return errs;
}

const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const CRON_FIELD = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/;

export function validateCronJob(cj: KubeObject): FieldError[] {
  const s = cj.spec ?? {};
  const errs: FieldError[] = [];
  const sched = s.schedule;
  if (!sched) errs.push(fieldRequired('spec.schedule'));
  else {
    const body = String(sched)
      .replace(/^(CRON_)?TZ=\S+\s+/, '')
      .trim();
    const fields = body.split(/\s+/);
    const ok = CRON_MACROS.includes(body) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f)));
    if (!ok)
      errs.push(
        fieldInvalid(
          'spec.schedule',
          sched,
          fields.length !== 5
            ? `unparseable cron expression: expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`
            : 'unparseable cron expression',
        ),
      );
  }
  const cp = s.concurrencyPolicy;
  if (cp !== undefined && !['Allow', 'Forbid', 'Replace'].includes(cp))
    errs.push(fieldNotSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...nonNegative(s.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...validateJobSpec(s.jobTemplate?.spec, 'spec.jobTemplate.spec'));
  return errs;
}
