import type { KubeResponse } from './context.ts';

/** A handler's answer as a Response; each warning becomes a `Warning: 299 - "..."` header. */
export function send(res: KubeResponse, warnings: string[] = []): Response {
  const headers = new Headers({ 'content-type': res.contentType ?? 'application/json', ...(res.headers ?? {}) });
  for (const w of warnings) headers.append('Warning', `299 - ${JSON.stringify(w)}`);
  const body = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  return new Response(body, { status: res.status, headers });
}
