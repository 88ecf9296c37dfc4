/**
 * The CA bundle published in every namespace's `kube-root-ca.crt` ConfigMap: the CA that signed
 * the API's serving certificate, the one kubeconfigs embed. Process-wide configuration, set once at
 * start (`buildDeps`); empty when the API is served with a publicly trusted certificate.
 */
let rootCa = '';

export function setRootCaCert(pem: string | undefined): void {
  rootCa = pem ?? '';
}

export function rootCaCert(): string {
  return rootCa;
}

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
