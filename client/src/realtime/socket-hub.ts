import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events';

/** The live connection as the pages show it. */
export type Connection = 'connecting' | 'live' | 'offline';
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What one hook listens to on the shared socket. */
export interface Subscription {
  /**
   * On every connection and reconnection: whatever was broadcast while disconnected is lost, so this
   * is where a hook catches up. Also called, a microtask later, if the socket is connected already.
   */
  onConnect?: () => void;
  /** Server events, typed by shared/events.ts. */
  events?: Partial<ServerToClientEvents>;
}

export interface Membership {
  /** The shared socket, to emit on; it stays open at least until `unsubscribe`. */
  socket: ClientSocket;
  /** Removes this subscription's listeners; the last one out closes the socket. Safe to call twice. */
  unsubscribe: () => void;
}

/**
 * One socket shared by every hook that needs it: opened by the first subscriber, closed when the last
 * one leaves, so it lives exactly as long as some mounted page listens to it (pages that do are shown
 * only after sign-in, and a logout unmounts them). `open` is the only thing that creates a socket.
 */
export class SocketHub {
  private current: { socket: ClientSocket; members: number } | undefined;
  private state: Connection = 'connecting';
  private readonly watchers = new Set<() => void>();
  private readonly live = () => this.setConnection('live');
  private readonly offline = () => this.setConnection('offline');

  constructor(private readonly open: () => ClientSocket) {}

  /** The state of the shared socket; `connecting` while none is open. */
  readonly connection = (): Connection => this.state;

  /** Calls `listener` whenever `connection()` changes (the shape `useSyncExternalStore` wants). */
  readonly watchConnection = (listener: () => void): (() => void) => {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  };

  subscribe({ onConnect, events = {} }: Subscription): Membership {
    const entry = this.shared();
    const { socket } = entry;
    entry.members += 1;
    const names = Object.keys(events) as (keyof ServerToClientEvents)[];
    for (const name of names) {
      const listener = events[name];
      if (listener) socket.on(name, listener);
    }
    if (onConnect) socket.on('connect', onConnect);
    let member = true;
    // A late subscriber has missed the `connect` event; it still needs its first catch-up.
    if (onConnect && socket.connected)
      queueMicrotask(() => {
        if (member) onConnect();
      });

    const unsubscribe = () => {
      if (!member) return;
      member = false;
      for (const name of names) {
        const listener = events[name];
        if (listener) socket.off(name, listener);
      }
      if (onConnect) socket.off('connect', onConnect);
      entry.members -= 1;
      if (entry.members === 0) this.close();
    };
    return { socket, unsubscribe };
  }

  private shared(): { socket: ClientSocket; members: number } {
    if (this.current) return this.current;
    const socket = this.open();
    socket.on('connect', this.live);
    socket.on('disconnect', this.offline);
    socket.on('connect_error', this.offline);
    this.current = { socket, members: 0 };
    return this.current;
  }

  // Closing emits `disconnect` at once: unhook first, so the state goes back to `connecting` without
  // flashing `offline`, and a closed socket can never move the state of the next one.
  private close(): void {
    const socket = this.current?.socket;
    this.current = undefined;
    if (!socket) return;
    socket.off('connect', this.live);
    socket.off('disconnect', this.offline);
    socket.off('connect_error', this.offline);
    socket.close();
    this.setConnection('connecting');
  }

  private setConnection(next: Connection): void {
    if (next === this.state) return;
    this.state = next;
    for (const watcher of [...this.watchers]) watcher();
  }
}
