import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotFound, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';
import { quantityValue as parseQuantity, quantityProblem } from '../../lib/quantity.ts';
import { isDns1123Label, LABEL_MSG } from './names.ts';
import { fieldsOf, listOf } from '../json.ts';
import type { Container, PodSpec } from '../objects.ts';

// The spec is untrusted JSON: fields are read as `unknown` through `fieldsOf`. Where a check below
// hands a value to a function that takes a string, it passes the value as it came (`as string`),
// so a value of the wrong type is judged exactly as before.

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validatePort(n: unknown, path: string): FieldError[] {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) return [fieldInvalid(path, n, 'must be between 1 and 65535, inclusive')];
  return [];
}

function validateResources(raw: unknown, path: string): FieldError[] {
  if (!raw || typeof raw !== 'object') return [];
  const res = fieldsOf(raw);
  const errs: FieldError[] = [];
  for (const kind of ['limits', 'requests'] as const) {
    for (const [k, v] of Object.entries(res[kind] ?? {})) {
      const problem = quantityProblem(v);
      if (problem) errs.push(fieldInvalid(`${path}.${kind}[${k}]`, v, problem));
      else if (parseQuantity(v)! < 0) errs.push(fieldInvalid(`${path}.${kind}[${k}]`, v, 'must be greater than or equal to 0'));
    }
  }
  for (const [k, v] of Object.entries(res.requests ?? {})) {
    const lim = fieldsOf(res.limits)[k];
    if (lim === undefined) continue;
    const r = parseQuantity(v);
    const l = parseQuantity(lim);
    if (r !== undefined && l !== undefined && r > l) errs.push(fieldInvalid(`${path}.requests`, v, `must be less than or equal to ${k} limit of ${lim}`));
  }
  return errs;
}

function validateContainers(list: unknown, path: string, volumes: Set<string>, names: Set<string>, required: boolean): FieldError[] {
  if (list === undefined || list === null) return required ? [fieldRequired(path)] : [];
  if (!Array.isArray(list)) return [fieldInvalid(path, list, 'must be a list')];
  if (required && list.length === 0) return [fieldRequired(path)];
  const errs: FieldError[] = [];
  list.forEach((raw: unknown, i: number) => {
    const p = `${path}[${i}]`;
    if (!raw || typeof raw !== 'object') {
      errs.push(fieldInvalid(p, raw, 'must be an object'));
      return;
    }
    const c = fieldsOf(raw);
    if (!c.name) errs.push(fieldRequired(`${p}.name`));
    else if (!isDns1123Label(c.name as string)) errs.push(fieldInvalid(`${p}.name`, c.name, LABEL_MSG));
    else if (names.has(c.name as string)) errs.push(fieldDuplicate(`${p}.name`, c.name));
    else names.add(c.name as string);
    if (!c.image) errs.push(fieldRequired(`${p}.image`));
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy as string)) {
      errs.push(fieldNotSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    }
    const portNames = new Set<string>();
    listOf(c.ports).forEach((raw: unknown, j: number) => {
      const port = fieldsOf(raw);
      const pp = `${p}.ports[${j}]`;
      errs.push(...validatePort(port.containerPort, `${pp}.containerPort`));
      if (port.hostPort !== undefined && port.hostPort !== 0) errs.push(...validatePort(port.hostPort, `${pp}.hostPort`));
      if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol as string)) errs.push(fieldNotSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
      if (port.name) {
        if (portNames.has(port.name as string)) errs.push(fieldDuplicate(`${pp}.name`, port.name));
        portNames.add(port.name as string);
      }
    });
    listOf(c.env).forEach((e: unknown, j: number) => {
      if (!fieldsOf(e).name) errs.push(fieldRequired(`${p}.env[${j}].name`));
    });
    listOf(c.volumeMounts).forEach((raw: unknown, j: number) => {
      const m = fieldsOf(raw);
      const mp = `${p}.volumeMounts[${j}]`;
      if (!m.name) errs.push(fieldRequired(`${mp}.name`));
      else if (!volumes.has(m.name as string)) errs.push(fieldNotFound(`${mp}.name`, m.name));
      if (!m.mountPath) errs.push(fieldRequired(`${mp}.mountPath`));
    });
    errs.push(...validateResources(c.resources, `${p}.resources`));
  });
  return errs;
}

/** ValidatePodSpec, for the fields users get wrong most. */
/** `extraVolumes`: names mounts may use besides spec.volumes (a StatefulSet's volumeClaimTemplates). */
export function validatePodSpec(raw: unknown, path: string, extraVolumes: string[] = []): FieldError[] {
  if (!raw || typeof raw !== 'object') return [fieldRequired(path)];
  const spec = fieldsOf(raw);
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  listOf(spec.volumes).forEach((rawVolume: unknown, i: number) => {
    const v = fieldsOf(rawVolume);
    const p = `${path}.volumes[${i}]`;
    if (!v.name) errs.push(fieldRequired(`${p}.name`));
    else if (!isDns1123Label(v.name as string)) errs.push(fieldInvalid(`${p}.name`, v.name, LABEL_MSG));
    else if (volumes.has(v.name as string)) errs.push(fieldDuplicate(`${p}.name`, v.name));
    else volumes.add(v.name as string);
    if (v.persistentVolumeClaim && !fieldsOf(v.persistentVolumeClaim).claimName) errs.push(fieldRequired(`${p}.persistentVolumeClaim.claimName`));
    if (v.configMap && !fieldsOf(v.configMap).name) errs.push(fieldRequired(`${p}.configMap.name`));
    if (v.secret && !fieldsOf(v.secret).secretName) errs.push(fieldRequired(`${p}.secret.secretName`));
  });
  const names = new Set<string>();
  for (const v of extraVolumes) volumes.add(v);
  errs.push(...validateContainers(spec.containers, `${path}.containers`, volumes, names, true));
  errs.push(...validateContainers(spec.initContainers, `${path}.initContainers`, volumes, names, false));
  if (spec.restartPolicy !== undefined && !RESTART_POLICIES.includes(spec.restartPolicy as string)) {
    errs.push(fieldNotSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  }
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy as string))
    errs.push(fieldNotSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  for (const f of ['terminationGracePeriodSeconds', 'activeDeadlineSeconds'] as const) {
    const v = spec[f];
    if (v !== undefined && v !== null && (typeof v !== 'number' || v < (f === 'activeDeadlineSeconds' ? 1 : 0))) {
      errs.push(
        fieldInvalid(`${path}.${f}`, v, f === 'activeDeadlineSeconds' ? 'must be between 1 and 2147483647, inclusive' : 'must be greater than or equal to 0'),
      );
    }
  }
  if (spec.nodeSelector !== undefined && (typeof spec.nodeSelector !== 'object' || Array.isArray(spec.nodeSelector))) {
    errs.push(fieldInvalid(`${path}.nodeSelector`, spec.nodeSelector, 'must be a map of strings'));
  }
  return errs;
}

/** The only spec fields a pod update may change (ValidatePodUpdate). */
export function validatePodSpecUpdate(next: PodSpec | undefined, old: PodSpec | undefined): FieldError[] {
  const mask = (spec: PodSpec | undefined) => {
    const s = structuredClone(spec ?? ({} as PodSpec));
    for (const list of ['containers', 'initContainers'] as const) for (const c of s[list] ?? []) delete (c as Partial<Container>).image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    delete s.schedulingGates;
    // The scheduler binds through the binding subresource; nodeName may go from unset to set.
    if (!old?.nodeName) delete s.nodeName;
    return JSON.stringify(s);
  };
  if (mask(next) === mask(old)) return [];
  return [
    fieldForbidden(
      'spec',
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ),
  ];
}
