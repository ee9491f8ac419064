import type { LoadBroadcast } from '../../../shared/events';
import { SocketHub, type ClientSocket, type Connection } from './socket-hub';

type Listener = (...args: unknown[]) => void;

/** Enough of a socket.io client socket for the hub: listeners, `connected`, `close`. */
class FakeSocket {
  connected = false;
  closed = false;
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener: Listener): this {
    const list = this.listeners.get(event) ?? [];
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
    return this;
  }
  close(): void {
    this.closed = true;
    this.disconnect();
  }

  fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }
  connect(): void {
    this.connected = true;
    this.fire('connect');
  }
  disconnect(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((sum, list) => sum + list.length, 0);
  }
}

function setUp() {
  const opened: FakeSocket[] = [];
  const hub = new SocketHub(() => {
    const socket = new FakeSocket();
    opened.push(socket);
    return socket as unknown as ClientSocket;
  });
  const states: Connection[] = [];
  hub.watchConnection(() => states.push(hub.connection()));
  return { hub, opened, states };
}

const broadcast: LoadBroadcast = { seq: 7, loads: [] };

describe('the client socket hub', () => {
  it('opens nothing until someone subscribes, then one socket for every subscriber', () => {
    const { hub, opened } = setUp();
    expect(opened).toHaveLength(0);
    expect(hub.connection()).toBe('connecting');
    const a = hub.subscribe({});
    const b = hub.subscribe({});
    expect(opened).toHaveLength(1);
    expect(b.socket).toBe(a.socket);
  });

  it('hands each server event to the subscribers that listen to it', () => {
    const { hub, opened } = setUp();
    const loads: LoadBroadcast[] = [];
    const incidents: unknown[] = [];
    hub.subscribe({ events: { 'load:updated': (payload) => loads.push(payload) } });
    hub.subscribe({ events: { 'incident:updated': (payload) => incidents.push(payload) } });
    opened[0]?.fire('load:updated', broadcast);
    expect(loads).toEqual([broadcast]);
    expect(incidents).toEqual([]);
  });

  it('keeps the socket open for the others when one subscriber leaves, even twice, and closes it with the last', () => {
    const { hub, opened } = setUp();
    const heardByA: unknown[] = [];
    const heardByB: unknown[] = [];
    const a = hub.subscribe({ events: { 'load:updated': (payload) => heardByA.push(payload) } });
    const b = hub.subscribe({ events: { 'load:updated': (payload) => heardByB.push(payload) } });
    const socket = opened[0];
    a.unsubscribe();
    a.unsubscribe();
    socket?.fire('load:updated', broadcast);
    expect(heardByA).toEqual([]);
    expect(heardByB).toEqual([broadcast]);
    expect(socket?.closed).toBe(false);
    b.unsubscribe();
    expect(socket?.closed).toBe(true);
    expect(socket?.listenerCount()).toBe(0);
  });

  it('follows the socket: live on connect, offline on a drop or a refused connection, connecting once closed', () => {
    const { hub, opened, states } = setUp();
    const { unsubscribe } = hub.subscribe({});
    const socket = opened[0];
    socket?.connect();
    socket?.disconnect();
    socket?.connect();
    socket?.fire('connect_error', new Error('Please sign in first'));
    socket?.connect();
    unsubscribe();
    // Closing does not pass through `offline`: nothing is wrong, nobody listens any more.
    expect(states).toEqual(['live', 'offline', 'live', 'offline', 'live', 'connecting']);
  });

  it('calls onConnect on every connection, and once, a microtask later, for a subscriber that comes in live', async () => {
    const { hub, opened } = setUp();
    let early = 0;
    let late = 0;
    let gone = 0;
    hub.subscribe({ onConnect: () => (early += 1) });
    const socket = opened[0];
    socket?.connect();
    expect(early).toBe(1);

    hub.subscribe({ onConnect: () => (late += 1) });
    const leaver = hub.subscribe({ onConnect: () => (gone += 1) });
    expect(late).toBe(0);
    leaver.unsubscribe();
    await Promise.resolve();
    expect(late).toBe(1);
    expect(gone).toBe(0);

    socket?.disconnect();
    socket?.connect();
    expect([early, late, gone]).toEqual([2, 2, 0]);
  });

  it('opens a new socket after the last one closed, which the old one can no longer disturb', () => {
    const { hub, opened } = setUp();
    hub.subscribe({}).unsubscribe();
    const second = hub.subscribe({});
    expect(opened).toHaveLength(2);
    expect(second.socket).toBe(opened[1]);
    expect(hub.connection()).toBe('connecting');
    opened[0]?.connect();
    expect(hub.connection()).toBe('connecting');
    opened[1]?.connect();
    expect(hub.connection()).toBe('live');
  });
});
