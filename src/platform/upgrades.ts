import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ChannelSocket, WebSocketAcceptor } from '../kube/exec/channels.ts';
import type { Logger } from '../lib/logger.ts';

/** Where the upgrade listener lets a handler take the connection over (on the Hono `env`). */
const ACCEPT = Symbol.for('kates.acceptWebSocket');
type Accept = (protocol: string, session: (socket: ChannelSocket) => void) => void;

/** The Node side of `acceptWebSocket`: records the handler's choice; the upgrade listener completes it. */
export const nodeWebSocketAcceptor: WebSocketAcceptor = (c, protocol, session) => {
  const accept = (c.env as Record<symbol, Accept | undefined> | undefined)?.[ACCEPT];
  if (typeof accept !== 'function') return undefined;
  accept(protocol, session);
  return new Response(null, { status: 200 }); // not sent: the socket is handed to the WebSocket
};

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function channelSocket(ws: WebSocket): ChannelSocket {
  return {
    send: (data) => ws.send(data, { binary: true }),
    close: (code, reason) => ws.close(code, reason),
    onMessage: (fn) => void ws.on('message', (data) => fn(toBytes(data))),
    onClose: (fn) => void ws.on('close', fn),
  };
}

/** A whole HTTP response written on the raw socket of an upgrade request that was not upgraded. */
async function writeResponse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`];
  response.headers.forEach((value, key) => {
    if (!['connection', 'content-length', 'transfer-encoding', 'upgrade'].includes(key)) lines.push(`${key}: ${value}`);
  });
  lines.push(`Content-Length: ${body.length}`, 'Connection: close');
  if (!socket.destroyed) socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body]));
}

/**
 * Serves HTTP upgrade requests (Node emits them apart from ordinary requests) through the same app:
 * a handler that accepts a WebSocket gets one (`ws`, with the subprotocol it chose); any other
 * answer, such as the Status refusing a SPDY upgrade, is written back whole, body included.
 */
export function serveUpgrades(server: Server, fetch: (req: Request, env: unknown) => Response | Promise<Response>, log: Logger): void {
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (_offered, req) => chosen.get(req) ?? false });
  server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    let accepted: { protocol: string; session: (socket: ChannelSocket) => void } | undefined;
    const env = { incoming: req, [ACCEPT]: ((protocol, session) => (accepted = { protocol, session })) as Accept };
    const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let response: Response;
    try {
      response = await fetch(new Request(`${scheme}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { method: req.method, headers }), env);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'upgrade request failed');
      response = new Response('internal error', { status: 500 });
    }
    if (!accepted) return writeResponse(socket, response);
    if (socket.destroyed) return;
    const { protocol, session } = accepted;
    chosen.set(req, protocol);
    wss.handleUpgrade(req, socket, head, (ws) => session(channelSocket(ws)));
  });
  server.on('close', () => wss.close());
}
