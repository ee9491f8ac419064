import { io, type Socket } from 'socket.io-client';
import type { BoardSyncAck, ClientToServerEvents, ServerToClientEvents } from '../../shared/events';

export type BoardClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A live connection to `url` with the given session cookie; rejects with the server's refusal. */
export function connectBoard(url: string, cookie?: string, headers: Record<string, string> = {}): Promise<BoardClient> {
  const socket: BoardClient = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...headers, ...(cookie ? { cookie } : {}) },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Resolves with the first `event` whose payload satisfies `match`, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: BoardClient,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

export function boardSync(socket: BoardClient, request: unknown): Promise<BoardSyncAck> {
  return new Promise((resolve) => {
    (socket.emit as (event: string, ...args: unknown[]) => void)('board:sync', request, resolve);
  });
}
