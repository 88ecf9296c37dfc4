import { fieldsOf, listOf } from '../json.ts';
import { fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooMany, type FieldError } from '../status.ts';
import { qualifiedNameProblems } from './names.ts';

/** Limits of pkg/apis/batch/validation. */
const MAX_RULES = 20;
const MAX_EXIT_CODES = 255;
const MAX_CONDITION_PATTERNS = 20;
const MAX_FAILED_INDEXES = 100_000;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const OPERATORS = ['In', 'NotIn'];
const STATUSES = ['False', 'True', 'Unknown'];

// The spec is untrusted JSON read through `fieldsOf`; values handed to a check that takes a number or
// string pass as they came (`as`), so a value of the wrong type is judged exactly as before.

function nonNegative(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return [fieldInvalid(path, v, 'must be greater than or equal to 0')];
  return [];
}

function validateExitCodes(raw: unknown, path: string, containers: Set<string>): FieldError[] {
  const req = fieldsOf(raw);
  const errs: FieldError[] = [];
  if (!req.operator) errs.push(fieldRequired(`${path}.operator`, `valid values: ${JSON.stringify(OPERATORS)}`));
  else if (!OPERATORS.includes(req.operator as string)) errs.push(fieldNotSupported(`${path}.operator`, req.operator, OPERATORS));
  if (req.containerName !== undefined && req.containerName !== null && !containers.has(req.containerName as string)) {
    errs.push(fieldInvalid(`${path}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = listOf(req.values) as number[];
  if (values.length === 0) errs.push(fieldInvalid(`${path}.values`, values, 'at least one value is required'));
  else if (values.length > MAX_EXIT_CODES) errs.push(fieldTooMany(`${path}.values`, values.length, MAX_EXIT_CODES));
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((v, j) => {
    if (req.operator === 'In' && v === 0) errs.push(fieldInvalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) errs.push(fieldDuplicate(`${path}.values[${j}]`, v));
    seen.add(v);
    if (j > 0 && values[j - 1] > v) ordered = false;
  });
  if (!ordered) errs.push(fieldInvalid(`${path}.values`, values, 'must be ordered'));
  return errs;
}

function validateConditionPatterns(patterns: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (patterns.length > MAX_CONDITION_PATTERNS) errs.push(fieldTooMany(path, patterns.length, MAX_CONDITION_PATTERNS));
  patterns.forEach((raw, j) => {
    const p = fieldsOf(raw);
    for (const m of qualifiedNameProblems(String(p.type ?? ''))) errs.push(fieldInvalid(`${path}[${j}].type`, p.type ?? '', m));
    if (!p.status) errs.push(fieldRequired(`${path}[${j}].status`, `valid values: ${JSON.stringify(STATUSES)}`));
    else if (!STATUSES.includes(p.status as string)) errs.push(fieldNotSupported(`${path}[${j}].status`, p.status, STATUSES));
  });
  return errs;
}

/** spec.podFailurePolicy: bounded rules, each with an action and exactly one requirement. */
export function validatePodFailurePolicy(rawSpec: unknown, path: string): FieldError[] {
  const spec = fieldsOf(rawSpec);
  const rules = listOf(fieldsOf(spec.podFailurePolicy).rules);
  const errs: FieldError[] = [];
  if (rules.length > MAX_RULES) errs.push(fieldTooMany(`${path}.rules`, rules.length, MAX_RULES));
  const podSpec = fieldsOf(fieldsOf(spec.template).spec ?? {});
  const containers = new Set<string>([...listOf(podSpec.containers), ...listOf(podSpec.initContainers)].map((c) => fieldsOf(c).name as string));
  rules.forEach((rawRule, i) => {
    const rule = fieldsOf(rawRule);
    const rp = `${path}.rules[${i}]`;
    if (!rule.action) errs.push(fieldRequired(`${rp}.action`, `valid values: ${JSON.stringify(ACTIONS)}`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)
        errs.push(fieldInvalid(`${rp}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!ACTIONS.includes(rule.action as string)) errs.push(fieldNotSupported(`${rp}.action`, rule.action, ACTIONS));
    const hasExit = rule.onExitCodes !== undefined && rule.onExitCodes !== null;
    const patterns = listOf(rule.onPodConditions);
    if (hasExit) errs.push(...validateExitCodes(rule.onExitCodes, `${rp}.onExitCodes`, containers));
    if (patterns.length) errs.push(...validateConditionPatterns(patterns, `${rp}.onPodConditions`));
    if (hasExit && patterns.length)
      errs.push({ ...fieldInvalid(rp, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'), omitValue: true });
    if (!hasExit && !patterns.length)
      errs.push({ ...fieldInvalid(rp, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'), omitValue: true });
  });
  return errs;
}

/** backoffLimitPerIndex, maxFailedIndexes and podReplacementPolicy as validateJobSpec checks them. */
export function validateRetryPolicies(rawSpec: unknown, path: string): FieldError[] {
  const spec = fieldsOf(rawSpec);
  const errs = [...nonNegative(spec.backoffLimitPerIndex, `${path}.backoffLimitPerIndex`), ...nonNegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`)];
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(spec.maxFailedIndexes) && !set(spec.backoffLimitPerIndex))
    errs.push(fieldRequired(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  if (spec.completionMode === 'Indexed') {
    if (set(spec.completions) && set(spec.maxFailedIndexes) && (spec.maxFailedIndexes as number) > (spec.completions as number))
      errs.push(fieldInvalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'must be less than or equal to completions'));
    if (set(spec.maxFailedIndexes) && (spec.maxFailedIndexes as number) > MAX_FAILED_INDEXES)
      errs.push(fieldInvalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
  } else {
    if (set(spec.backoffLimitPerIndex)) errs.push(fieldInvalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (set(spec.maxFailedIndexes)) errs.push(fieldInvalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  const rpp = spec.podReplacementPolicy;
  if (set(rpp)) {
    // With a pod failure policy, pods must be terminal before they are judged: only Failed makes sense.
    if (spec.podFailurePolicy) {
      if (rpp !== 'Failed') errs.push(fieldNotSupported(`${path}.podReplacementPolicy`, rpp, ['Failed']));
    } else if (rpp !== 'Failed' && rpp !== 'TerminatingOrFailed')
      errs.push(fieldNotSupported(`${path}.podReplacementPolicy`, rpp, ['Failed', 'TerminatingOrFailed']));
  }
  return errs;
}
