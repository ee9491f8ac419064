import type { ChangesPage, PublicTask } from './schemas';
import { BoardFeed, type LiveChange } from './board-feed';

const task = { id: 't' } as PublicTask;
const change = (seq: number, prev: number): LiveChange => ({ type: 'task:updated', seq, prev, at: '', task });

function server(changes: LiveChange[], head: number) {
  const calls: number[] = [];
  const sync = (since: number): Promise<ChangesPage> => {
    calls.push(since);
    const items = changes.filter((c) => c.seq > since).map(({ prev: _prev, ...c }) => c);
    return Promise.resolve({ items, last: Math.max(since, head), hasMore: false, head });
  };
  return { sync, calls };
}

describe('BoardFeed', () => {
  it('applies changes in order and ignores duplicates', () => {
    const applied: number[] = [];
    const feed = new BoardFeed({ since: 10, sync: server([], 10).sync, apply: (c) => applied.push(c.seq) });
    feed.receive(change(12, 10));
    feed.receive(change(12, 10));
    feed.receive(change(15, 12));
    expect(applied).toEqual([12, 15]);
    expect(feed.position).toBe(15);
  });

  it('fetches what it missed when a predecessor is missing, then applies the waiting changes', async () => {
    const applied: number[] = [];
    const all = [change(12, 10), change(13, 12), change(17, 13)];
    const srv = server(all, 17);
    const feed = new BoardFeed({ since: 10, sync: srv.sync, apply: (c) => applied.push(c.seq) });
    feed.receive(change(17, 13));
    await feed.resync();
    expect(srv.calls).toEqual([10]);
    expect(applied).toEqual([12, 13, 17]);
    expect(feed.position).toBe(17);
  });

  it('jumps to the head the server reports when nothing of its region happened meanwhile', async () => {
    const applied: number[] = [];
    const feed = new BoardFeed({ since: 3, sync: server([], 40).sync, apply: (c) => applied.push(c.seq) });
    await feed.resync();
    expect(feed.position).toBe(40);
    feed.receive(change(41, 2));
    expect(applied).toEqual([41]);
  });

  it('reports a failed sync and stays where it was', async () => {
    const errors: unknown[] = [];
    const feed = new BoardFeed({
      since: 5,
      sync: () => Promise.reject(new Error('offline')),
      apply: () => undefined,
      onError: (e) => errors.push(e),
    });
    await feed.resync();
    expect(errors).toHaveLength(1);
    expect(feed.position).toBe(5);
  });
});
