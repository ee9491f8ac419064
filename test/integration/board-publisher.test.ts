import type { SequencedEvent } from '../../server/db/events-repo';
import { createLogger } from '../../server/logger';
import { BoardPublisher } from '../../server/realtime/board-publisher';
import { postTask } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('board publisher on %s', (driver) => {
  const t = useWorld(driver);

  it('reads what another run numbered when a notification says so, once and in order', async () => {
    const published: SequencedEvent[] = [];
    // As on another instance: it hears of events only through notifications (no periodic check here).
    const publisher = new BoardPublisher(t.app.running.database.db, createLogger('silent'), (batch) => published.push(...batch));
    await publisher.start(3_600_000);
    try {
      const first = await postTask(t.w.manager);
      const second = await postTask(t.w.manager);
      await new Promise((r) => setTimeout(r, 50));
      expect(published).toEqual([]);

      const head = async () => {
        const res = await t.w.clerk.agent.get('/api/v1/changes?since=0&limit=1');
        return res.body.head as number;
      };
      publisher.heard(await head());
      for (const deadline = Date.now() + 5000; published.length < 2 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
      const ids = published.map((e) => e.taskId);
      expect(ids).toEqual([first.id, second.id]);
      expect(published.map((e) => e.seq)).toEqual([...published.map((e) => e.seq)].sort((a, b) => a - b));

      // Heard again (a late or repeated notification): nothing is published twice.
      publisher.heard(await head());
      publisher.heard(Number('not a number'));
      await new Promise((r) => setTimeout(r, 100));
      expect(published.map((e) => e.taskId)).toEqual([first.id, second.id]);
    } finally {
      await publisher.stop();
    }
  });
});
