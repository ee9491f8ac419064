import { lastSequence, sequencePending, type SequencedEvent } from '../../server/db/events';
import { createLogger } from '../../server/logger';
import { updateTaskIf } from '../../server/resources/tasks/tasks-repo';
import { BoardPublisher } from '../../server/realtime/board-publisher';
import { Sequencer } from '../../server/realtime/sequencer';
import { postTask } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('board publisher on %s', (driver) => {
  const t = useWorld(driver);

  it('reads what another run numbered when a notification says so, once and in order', async () => {
    const published: SequencedEvent[] = [];
    // As on another instance: it hears of events only through notifications (no periodic check here).
    const publisher = new BoardPublisher(t.app.running.database.db, createLogger('silent'), (batch) =>
      published.push(...batch),
    );
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
      for (const deadline = Date.now() + 5000; published.length < 2 && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 20));
      const ids = published.map((e) => e.taskId);
      expect(ids).toEqual([first.id, second.id]);
      expect(published.map((e) => e.seq)).toEqual([...published.map((e) => e.seq)].sort((a, b) => a - b));

      // Heard again (a late or repeated notification): nothing is published twice.
      publisher.heard(await head());
      publisher.heard(Number('not a number'));
      await new Promise((r) => setTimeout(r, 100));
      expect(published.map((e) => e.taskId)).toEqual([first.id, second.id]);
      expect(publisher.reads).toBeGreaterThan(0);
    } finally {
      await publisher.stop();
    }
  });

  it('leaves to its own sequencer run the events a notification announces while that run is under way', async () => {
    const { db } = t.app.running.database;
    const log = createLogger('silent');
    const task = await postTask(t.w.manager);
    // The app's own sequencer stays out of the way; this one plays the process's.
    await t.app.running.sequencer.stop();
    const sequencer = new Sequencer(db, log, sequencePending);
    const published: SequencedEvent[] = [];
    const publisher = new BoardPublisher(
      db,
      log,
      (batch) => published.push(...batch),
      () => sequencer.running,
    );
    sequencer.onEvents((batch) => publisher.numbered(batch));
    await publisher.start(3_600_000);
    try {
      const head = await lastSequence(db);
      await updateTaskIf(
        db,
        { taskId: task.id, version: 1, from: ['open'] },
        { priority: 'urgent' },
        {
          action: 'update',
          actorUserId: t.w.manager.id,
          actorCommuneId: t.w.stricken.id,
          fromStatus: 'open',
          note: null,
        },
      );
      // The commit's notification arrives while the run that numbers the event is still going.
      const run = sequencer.flush();
      publisher.heard(head + 1);
      await run;
      await new Promise((r) => setTimeout(r, 50));
      expect(published.map((e) => [e.taskId, e.seq])).toEqual([[task.id, head + 1]]);
      expect(publisher.reads).toBe(0);
    } finally {
      await publisher.stop();
      await sequencer.stop();
      t.app.running.sequencer.start();
    }
  });
});
