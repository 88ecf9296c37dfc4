import type { KubeObject } from '../types.ts';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../status.ts';
import { fromLabelSelector, SelectorParseError, type LabelSelector } from '../selectors/labels.ts';
import { isDns1123Label, isDns1123Subdomain } from './names.ts';
import { immutable } from './meta.ts';
import { parseCidr, parseIPv4 } from '../../lib/cidr.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function listAt(v: unknown, path: string, errs: FieldError[]): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errs.push(fieldInvalid(path, v, 'must be a list'));
    return [];
  }
  return v;
}

/** An IngressServiceBackend's port: exactly one of a number (1-65535) or a port name. */
function validateServiceBackend(svc: unknown, path: string): FieldError[] {
  if (!isObject(svc)) return [fieldInvalid(path, svc, 'must be an object')];
  const errs: FieldError[] = [];
  if (typeof svc.name !== 'string' || !svc.name) errs.push(fieldRequired(`${path}.name`));
  else if (!isDns1123Label(svc.name) || !/^[a-z]/.test(svc.name))
    errs.push(
      fieldInvalid(
        `${path}.name`,
        svc.name,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      ),
    );
  const port = svc.port;
  if (!isObject(port)) {
    errs.push(fieldRequired(`${path}.port`));
    return errs;
  }
  const hasNumber = port.number !== undefined && port.number !== null && port.number !== 0;
  const hasName = typeof port.name === 'string' && port.name !== '';
  if (hasNumber && hasName) errs.push(fieldInvalid(`${path}.port`, port, 'cannot set both port name & port number'));
  else if (hasNumber) {
    if (!Number.isInteger(port.number) || (port.number as number) < 1 || (port.number as number) > 65535)
      errs.push(fieldInvalid(`${path}.port.number`, port.number, 'must be between 1 and 65535, inclusive'));
  } else if (hasName) {
    if (!isDns1123Label(port.name as string) || (port.name as string).length > 15)
      errs.push(fieldInvalid(`${path}.port.name`, port.name, 'must be no more than 15 characters and a DNS-1123 label'));
  } else errs.push(fieldRequired(`${path}.port`, 'port name or number is required'));
  return errs;
}

/** IngressBackend: exactly one of a service or a resource reference. */
function validateBackend(b: unknown, path: string): FieldError[] {
  if (!isObject(b)) return [fieldInvalid(path, b, 'must be an object')];
  if (b.service && b.resource) return [fieldInvalid(path, b, 'cannot set both resource and service backends')];
  if (b.service) return validateServiceBackend(b.service, `${path}.service`);
  if (isObject(b.resource)) {
    const errs: FieldError[] = [];
    if (!b.resource.kind) errs.push(fieldRequired(`${path}.resource.kind`));
    if (!b.resource.name) errs.push(fieldRequired(`${path}.resource.name`));
    return errs;
  }
  return [fieldInvalid(path, b, 'resource or service backend is required')];
}

/** A host: a DNS-1123 subdomain, optionally with one leading `*.` wildcard label; never an IP. */
function validateHost(host: unknown, path: string): FieldError[] {
  if (typeof host !== 'string') return [fieldInvalid(path, host, 'must be a string')];
  if (parseIPv4(host) !== undefined) return [fieldInvalid(path, host, 'must be a DNS name, not an IP address')];
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (!isDns1123Subdomain(bare)) {
    return [
      fieldInvalid(
        path,
        host,
        host.includes('*')
          ? "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
          : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      ),
    ];
  }
  return [];
}

/** ValidateIngressSpec (networking/v1): rules or a default backend, typed paths, valid backends. */
export function validateIngress(ing: KubeObject): FieldError[] {
  const s = ing.spec;
  if (!isObject(s)) return [fieldRequired('spec')];
  const errs: FieldError[] = [];
  const rules = listAt(s.rules, 'spec.rules', errs);
  if (!s.defaultBackend && rules.length === 0) errs.push(fieldInvalid('spec', s, 'either `defaultBackend` or `rules` must be specified'));
  if (s.defaultBackend) errs.push(...validateBackend(s.defaultBackend, 'spec.defaultBackend'));
  if (s.ingressClassName !== undefined && s.ingressClassName !== null && (typeof s.ingressClassName !== 'string' || !isDns1123Subdomain(s.ingressClassName))) {
    errs.push(
      fieldInvalid(
        'spec.ingressClassName',
        s.ingressClassName,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      ),
    );
  }
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    if (!isObject(rule)) return void errs.push(fieldInvalid(p, rule, 'must be an object'));
    if (rule.host) errs.push(...validateHost(rule.host, `${p}.host`));
    if (rule.http === undefined || rule.http === null) return;
    if (!isObject(rule.http)) return void errs.push(fieldInvalid(`${p}.http`, rule.http, 'must be an object'));
    const paths = listAt(rule.http.paths, `${p}.http.paths`, errs);
    if (paths.length === 0) errs.push(fieldRequired(`${p}.http.paths`));
    paths.forEach((hp, j) => {
      const pp = `${p}.http.paths[${j}]`;
      if (!isObject(hp)) return void errs.push(fieldInvalid(pp, hp, 'must be an object'));
      if (hp.pathType === undefined || hp.pathType === null || hp.pathType === '') errs.push(fieldRequired(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(hp.pathType as string)) errs.push(fieldNotSupported(`${pp}.pathType`, hp.pathType, PATH_TYPES));
      // Exact and Prefix need an absolute path; ImplementationSpecific may leave it empty.
      const path = hp.path ?? '';
      const needsPath = hp.pathType === 'Exact' || hp.pathType === 'Prefix';
      if (typeof path !== 'string' || ((needsPath || path !== '') && !path.startsWith('/')))
        errs.push(fieldInvalid(`${pp}.path`, path, 'must be an absolute path'));
      if (hp.backend === undefined) errs.push(fieldRequired(`${pp}.backend`));
      else errs.push(...validateBackend(hp.backend, `${pp}.backend`));
    });
  });
  listAt(s.tls, 'spec.tls', errs).forEach((t, i) => {
    if (!isObject(t)) return void errs.push(fieldInvalid(`spec.tls[${i}]`, t, 'must be an object'));
    listAt(t.hosts, `spec.tls[${i}].hosts`, errs).forEach((h, j) => errs.push(...validateHost(h, `spec.tls[${i}].hosts[${j}]`)));
    if (t.secretName !== undefined && (typeof t.secretName !== 'string' || (t.secretName && !isDns1123Subdomain(t.secretName))))
      errs.push(fieldInvalid(`spec.tls[${i}].secretName`, t.secretName, 'must be a valid Secret name'));
  });
  return errs;
}

/** ValidateIngressClass: a domain-prefixed controller name, immutable once set. */
export function validateIngressClass(ic: KubeObject, old?: KubeObject): FieldError[] {
  const s = ic.spec;
  if (!isObject(s)) return [fieldRequired('spec.controller')];
  const errs: FieldError[] = [];
  const c = s.controller;
  if (typeof c !== 'string' || c === '') errs.push(fieldRequired('spec.controller'));
  else if (c.length > 250) errs.push(fieldInvalid('spec.controller', c, 'must be no more than 250 characters'));
  else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[^\s]+$/.test(c))
    errs.push(fieldInvalid('spec.controller', c, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  if (s.parameters !== undefined && s.parameters !== null) {
    const p = s.parameters;
    if (!isObject(p)) errs.push(fieldInvalid('spec.parameters', p, 'must be an object'));
    else {
      if (!p.kind) errs.push(fieldRequired('spec.parameters.kind'));
      if (!p.name) errs.push(fieldRequired('spec.parameters.name'));
      if (p.scope !== undefined && !['Cluster', 'Namespace'].includes(p.scope as string))
        errs.push(fieldNotSupported('spec.parameters.scope', p.scope, ['Cluster', 'Namespace']));
      if (p.scope === 'Namespace' && !p.namespace) errs.push(fieldRequired('spec.parameters.namespace', "`parameters.scope` is set to 'Namespace'"));
      if (p.scope !== 'Namespace' && p.namespace) errs.push(fieldForbidden('spec.parameters.namespace', "`parameters.scope` is set to 'Cluster'"));
    }
  }
  if (old) errs.push(...immutable('spec.controller', c, old.spec?.controller));
  return errs;
}

function validateSelector(sel: unknown, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  if (!isObject(sel)) return [fieldInvalid(path, sel, 'must be a label selector')];
  try {
    fromLabelSelector(sel as LabelSelector);
    return [];
  } catch (e) {
    if (e instanceof SelectorParseError) return [fieldInvalid(path, sel, e.message)];
    throw e;
  }
}

function validatePorts(ports: unknown, path: string, errs: FieldError[]): void {
  listAt(ports, path, errs).forEach((port, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(port)) return void errs.push(fieldInvalid(p, port, 'must be an object'));
    if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol as string)) errs.push(fieldNotSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    const v = port.port;
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 1 || v > 65535) errs.push(fieldInvalid(`${p}.port`, v, 'must be between 1 and 65535, inclusive'));
    } else if (typeof v === 'string') {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) || v.length > 15 || !/[a-z]/.test(v))
        errs.push(fieldInvalid(`${p}.port`, v, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-) and be no more than 15 characters'));
    } else if (v !== undefined && v !== null) errs.push(fieldInvalid(`${p}.port`, v, 'must be an integer or a port name'));
    if (port.endPort !== undefined && port.endPort !== null) {
      if (typeof v !== 'number') errs.push(fieldRequired(`${p}.port`, 'must be specified when endPort is specified'));
      else if (!Number.isInteger(port.endPort) || (port.endPort as number) < v)
        errs.push(fieldInvalid(`${p}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
      else if ((port.endPort as number) > 65535) errs.push(fieldInvalid(`${p}.endPort`, port.endPort, 'must be between 1 and 65535, inclusive'));
    }
  });
}

function validateCidr(v: unknown, path: string): { ok: boolean; errs: FieldError[] } {
  if (typeof v !== 'string' || !v) return { ok: false, errs: [fieldRequired(path)] };
  try {
    parseCidr(v);
    return { ok: true, errs: [] };
  } catch {
    if (v.includes(':') && /^[0-9a-fA-F:]+\/\d{1,3}$/.test(v)) return { ok: true, errs: [] };
    return { ok: false, errs: [fieldInvalid(path, v, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')] };
  }
}

function validatePeers(peers: unknown, path: string, errs: FieldError[]): void {
  listAt(peers, path, errs).forEach((peer, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(peer)) return void errs.push(fieldInvalid(p, peer, 'must be an object'));
    const set = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] !== undefined && peer[k] !== null);
    if (set.length === 0) return void errs.push(fieldRequired(p, 'must specify a peer'));
    if (peer.ipBlock !== undefined && set.length > 1) return void errs.push(fieldForbidden(p, 'may not specify both ipBlock and another peer'));
    errs.push(...validateSelector(peer.podSelector, `${p}.podSelector`), ...validateSelector(peer.namespaceSelector, `${p}.namespaceSelector`));
    if (peer.ipBlock !== undefined) {
      if (!isObject(peer.ipBlock)) return void errs.push(fieldInvalid(`${p}.ipBlock`, peer.ipBlock, 'must be an object'));
      const cidrText = peer.ipBlock.cidr as string;
      const cidr = validateCidr(peer.ipBlock.cidr, `${p}.ipBlock.cidr`);
      errs.push(...cidr.errs);
      listAt(peer.ipBlock.except, `${p}.ipBlock.except`, errs).forEach((ex, j) => {
        const e = validateCidr(ex, `${p}.ipBlock.except[${j}]`);
        errs.push(...e.errs);
        if (!cidr.ok || !e.ok || String(ex).includes(':')) return;
        const outer = parseCidr(cidrText);
        const inner = parseCidr(ex as string);
        if (inner.prefix <= outer.prefix || inner.base < outer.base || inner.base >= outer.base + outer.size)
          errs.push(fieldInvalid(`${p}.ipBlock.except[${j}]`, ex, 'must be a strict subset of `cidr`'));
      });
    }
  });
}

/** ValidateNetworkPolicySpec: selectors parse, ports and peers are well formed, policy types known. */
export function validateNetworkPolicy(np: KubeObject): FieldError[] {
  const s = np.spec;
  if (!isObject(s)) return [fieldRequired('spec')];
  const errs: FieldError[] = [];
  if (s.podSelector === undefined || s.podSelector === null) errs.push(fieldRequired('spec.podSelector'));
  else errs.push(...validateSelector(s.podSelector, 'spec.podSelector'));
  listAt(s.ingress, 'spec.ingress', errs).forEach((rule, i) => {
    if (!isObject(rule)) return void errs.push(fieldInvalid(`spec.ingress[${i}]`, rule, 'must be an object'));
    validatePorts(rule.ports, `spec.ingress[${i}].ports`, errs);
    validatePeers(rule.from, `spec.ingress[${i}].from`, errs);
  });
  listAt(s.egress, 'spec.egress', errs).forEach((rule, i) => {
    if (!isObject(rule)) return void errs.push(fieldInvalid(`spec.egress[${i}]`, rule, 'must be an object'));
    validatePorts(rule.ports, `spec.egress[${i}].ports`, errs);
    validatePeers(rule.to, `spec.egress[${i}].to`, errs);
  });
  const types = listAt(s.policyTypes, 'spec.policyTypes', errs);
  if (types.length > 2) errs.push(fieldInvalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fieldNotSupported(`spec.policyTypes[${i}]`, t, ['Egress', 'Ingress']));
  });
  return errs;
}
