import selfsigned from 'selfsigned';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIP } from 'node:net';
import type { Logger } from '../lib/logger.ts';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** PEM of the CA that signed `cert`, when it is the service's own (embedded in kubeconfigs). */
  caCert?: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The service's TLS certificate. Given files win; otherwise a private CA and a server certificate
 * for localhost, 127.0.0.1 and the PUBLIC_URL host are created once under DATA_DIR/tls and reused.
 */
export async function loadOrCreateTls(opts: { dataDir: string; publicHost: string; certFile?: string; keyFile?: string; log?: Logger }): Promise<TlsMaterial> {
  if (opts.certFile && opts.keyFile) {
    return { cert: readFileSync(opts.certFile, 'utf8'), key: readFileSync(opts.keyFile, 'utf8') };
  }
  const dir = join(opts.dataDir, 'tls');
  const files = {
    caKey: join(dir, 'ca.key'),
    caCert: join(dir, 'ca.crt'),
    key: join(dir, 'server.key'),
    cert: join(dir, 'server.crt'),
    hosts: join(dir, 'hosts'),
  };
  const hosts = [...new Set(['localhost', '127.0.0.1', opts.publicHost])].sort().join(',');
  if (existsSync(files.cert) && existsSync(files.caCert) && readFileSync(files.hosts, 'utf8') === hosts) {
    return { key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8'), caCert: readFileSync(files.caCert, 'utf8') };
  }
  mkdirSync(dir, { recursive: true });
  const now = new Date();
  const ca = existsSync(files.caCert)
    ? { private: readFileSync(files.caKey, 'utf8'), cert: readFileSync(files.caCert, 'utf8') }
    : await selfsigned.generate([{ name: 'commonName', value: 'kates-ca' }], {
        keyType: 'ec',
        algorithm: 'sha256',
        notBeforeDate: now,
        notAfterDate: new Date(now.getTime() + 10 * YEAR_MS),
        extensions: [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
      });
  const altNames = hosts.split(',').map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h }));
  const server = await selfsigned.generate([{ name: 'commonName', value: opts.publicHost }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 2 * YEAR_MS),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  writeFileSync(files.caKey, ca.private, { mode: 0o600 });
  writeFileSync(files.caCert, ca.cert);
  writeFileSync(files.key, server.private, { mode: 0o600 });
  writeFileSync(files.cert, server.cert);
  writeFileSync(files.hosts, hosts);
  opts.log?.info({ dir, hosts }, 'created TLS CA and server certificate');
  return { key: server.private, cert: server.cert, caCert: ca.cert };
}
