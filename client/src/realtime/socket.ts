import { useSyncExternalStore } from 'react';
import { io } from 'socket.io-client';
import { SocketHub, type Connection, type Membership, type Subscription } from './socket-hub';

export type { Connection } from './socket-hub';

/** The client's one socket. The server refuses it before sign-in: only signed-in pages subscribe. */
const hub = new SocketHub(() => io({ transports: ['websocket', 'polling'] }));

/** Listens on the client's one socket until `unsubscribe`; see `Subscription` for what to pass. */
export function subscribeSocket(subscription: Subscription): Membership {
  return hub.subscribe(subscription);
}

/** The state of the client's one socket, re-rendering when it changes. */
export function useConnection(): Connection {
  return useSyncExternalStore(hub.watchConnection, hub.connection);
}
