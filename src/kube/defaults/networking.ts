/* eslint-disable @typescript-eslint/no-explicit-any */

/** networking.k8s.io/v1 defaulting (SetDefaults_NetworkPolicy, SetDefaults_IngressClass). */

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ports default to TCP; without policyTypes a policy isolates ingress, and egress when it has egress rules. */
export function defaultNetworkPolicy(np: any): void {
  if (!isObject(np.spec)) return;
  const s = np.spec;
  for (const dir of ['ingress', 'egress']) {
    if (!Array.isArray(s[dir])) continue;
    for (const rule of s[dir]) {
      if (!isObject(rule) || !Array.isArray(rule.ports)) continue;
      for (const p of rule.ports) if (isObject(p)) p.protocol ??= 'TCP';
    }
  }
  if (s.policyTypes === undefined || s.policyTypes === null || (Array.isArray(s.policyTypes) && s.policyTypes.length === 0)) {
    s.policyTypes = Array.isArray(s.egress) && s.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}

export function defaultIngressClass(ic: any): void {
  if (isObject(ic.spec) && isObject(ic.spec.parameters)) ic.spec.parameters.scope ??= 'Cluster';
}
