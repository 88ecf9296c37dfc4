/**
 * Cloudflare compresses JSON and text responses for clients that accept gzip (kubectl does), and a
 * gzip encoder holds small writes until its window fills: a watch would deliver nothing for minutes
 * and then end mid-event. Responses that stream events (watches, followed logs) are therefore marked
 * `Content-Encoding: identity`, which the edge and `wrangler dev` leave as is.
 */
export function isStreamingRequest(url: URL): boolean {
  const q = url.searchParams;
  const flag = (name: string) => q.get(name) === 'true' || q.get(name) === '1';
  return flag('watch') || url.pathname.includes('/watch/') || (url.pathname.endsWith('/log') && flag('follow'));
}

export function uncompressedIfStreaming(request: Request, response: Response): Response {
  if (response.status !== 200 || !response.body || response.headers.has('content-encoding')) return response;
  if (!isStreamingRequest(new URL(request.url))) return response;
  const out = new Response(response.body, response);
  out.headers.set('content-encoding', 'identity');
  return out;
}
