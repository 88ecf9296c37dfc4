import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { assertMatchesContract } from '../helpers/contract.ts';

export interface ContractResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** PEM to trust for this request instead of the client's (e.g. a kubeconfig's CA). */
  ca?: string;
}

/**
 * HTTP(S) to one deployment. Every /v1 answer is checked against the committed openapi.yaml before
 * the caller sees it, so a step fails as soon as the deployment strays from the contract.
 */
export class ContractClient {
  /** How many /v1 responses were validated against the contract. */
  checked = 0;

  constructor(
    readonly baseUrl: string,
    private readonly ca?: string,
  ) {}

  async request(method: string, pathOrUrl: string, o: RequestOptions = {}): Promise<ContractResponse> {
    const target = new URL(pathOrUrl, this.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json, application/yaml;q=0.9, */*;q=0.8', ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await new Promise<ContractResponse>((resolve, reject) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(target, { method, headers, ca: o.ca ?? this.ca, timeout: 30_000 }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((r.headers['content-type'] ?? '').includes('json') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              return reject(new Error(`${method} ${target.pathname} answered invalid JSON: ${text.slice(0, 200)}`));
            }
          }
          resolve({ status: r.statusCode ?? 0, headers: r.headers, text, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${target.pathname} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
    if (target.pathname.startsWith('/v1/')) {
      assertMatchesContract(method, target.pathname, res.status, res.headers['content-type'] as string | undefined, res.body);
      this.checked++;
    }
    return res;
  }
}
