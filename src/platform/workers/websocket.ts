import type { ChannelSocket, WebSocketAcceptor } from '../../kube/exec/channels.ts';

/** The Workers WebSocket API this deployment uses (declared here, as in bindings.ts). */
interface WorkersWebSocket {
  accept(): void;
  send(data: ArrayBuffer | Uint8Array | string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', fn: (ev: { data: ArrayBuffer | string }) => void): void;
  addEventListener(type: 'close' | 'error', fn: () => void): void;
}
type WebSocketPairConstructor = new () => { 0: WorkersWebSocket; 1: WorkersWebSocket };

function channelSocket(ws: WorkersWebSocket): ChannelSocket {
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onMessage: (fn) => ws.addEventListener('message', (ev) => fn(typeof ev.data === 'string' ? new TextEncoder().encode(ev.data) : new Uint8Array(ev.data))),
    onClose: (fn) => {
      ws.addEventListener('close', fn);
      ws.addEventListener('error', fn);
    },
  };
}

/** exec and attach on Workers: a WebSocketPair, its server end driven by the session, the client end answered with 101. */
export const workersWebSocketAcceptor: WebSocketAcceptor = (_c, protocol, session) => {
  const Pair = (globalThis as { WebSocketPair?: WebSocketPairConstructor }).WebSocketPair;
  if (!Pair) return undefined;
  const pair = new Pair();
  const [client, server] = [pair[0], pair[1]];
  server.accept();
  session(channelSocket(server));
  return new Response(null, { status: 101, webSocket: client, headers: { 'Sec-WebSocket-Protocol': protocol } } as ResponseInit);
};
