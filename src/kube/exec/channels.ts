import type { Context } from 'hono';

/**
 * kubectl's streaming protocol over WebSocket (`v5.channel.k8s.io`, and `v4.channel.k8s.io` for
 * older clients): each binary message starts with its channel, the rest is that channel's bytes.
 * The error channel carries the command's outcome as a `Status`; v5 adds a close signal so a client
 * can end stdin without closing the socket.
 */
export const PROTOCOL_V5 = 'v5.channel.k8s.io';
export const PROTOCOL_V4 = 'v4.channel.k8s.io';
export const SUPPORTED_PROTOCOLS = [PROTOCOL_V5, PROTOCOL_V4];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

/** The first protocol the client offers that the server speaks, as `Sec-WebSocket-Protocol` lists them. */
export function negotiateProtocol(header: string | undefined): string | undefined {
  const offered = (header ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => SUPPORTED_PROTOCOLS.includes(p));
}

export function frame(channel: number, data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const out = new Uint8Array(bytes.length + 1);
  out[0] = channel;
  out.set(bytes, 1);
  return out;
}

/** What the error channel says when the command ends: Success, or NonZeroExitCode with the code. */
export function exitStatus(exitCode: number, argv: string[]): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** One accepted WebSocket, whatever the runtime (the `ws` package on Node, WebSocketPair on Workers). */
export interface ChannelSocket {
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onMessage(fn: (data: Uint8Array) => void): void;
  onClose(fn: () => void): void;
}

/**
 * Accepts the request's WebSocket upgrade with `protocol` and hands the socket to `session`; the
 * answer is what the handler returns (undefined when the runtime cannot upgrade this request).
 */
export type WebSocketAcceptor = (c: Context, protocol: string, session: (socket: ChannelSocket) => void) => Response | undefined;
