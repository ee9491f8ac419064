import type { Duplex } from 'node:stream';
import type { Socket } from 'socket.io';

/** What this module needs of an engine.io transport. */
interface Transport {
  name?: string;
  socket?: { _socket?: unknown };
  send(packets: unknown[]): void;
}

/**
 * The TCP socket under an engine.io WebSocket transport, or undefined (long-polling, or a version of
 * engine.io/ws whose inner fields moved: then nothing is corked and each frame is written as it comes,
 * which is only slower). engine.io keeps the `ws` WebSocket as `transport.socket`, and `ws` its TCP
 * socket as `_socket`: neither has a public accessor.
 */
function tcpSocketOfTransport(transport: Transport): Duplex | undefined {
  if (transport.name !== 'websocket') return undefined;
  const tcp = transport.socket?._socket as Partial<Duplex> | undefined;
  return tcp && typeof tcp.cork === 'function' && typeof tcp.uncork === 'function' ? (tcp as Duplex) : undefined;
}

export function tcpSocketOf(socket: Socket): Duplex | undefined {
  return tcpSocketOfTransport(socket.conn.transport);
}

const corking = new WeakSet<Transport>();

/**
 * Makes the connection's WebSocket transport write the packets it sends together (those that queued
 * while its last write was under way: a burst of board events) in one write, not one per frame. engine.io
 * hands its transport the queued packets in one call, and ws writes each frame as it comes: corking the
 * TCP socket around that call joins them. Applied to the transport the connection starts on and to the
 * one it upgrades to.
 */
export function corkEachSend(socket: Socket): void {
  const wrap = (transport: Transport) => {
    if (corking.has(transport)) return;
    const tcp = tcpSocketOfTransport(transport);
    if (!tcp) return;
    corking.add(transport);
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      tcp.cork();
      try {
        send(packets);
      } finally {
        tcp.uncork();
      }
    };
  };
  wrap(socket.conn.transport);
  socket.conn.on('upgrade', (transport: unknown) => wrap(transport as Transport));
}
