import { eq } from 'drizzle-orm';
import { notifications, notifierCursor } from '../../server/db/schema';
import { makeUser, makeWorld, postTask, type TestUser, type World } from '../factories';
import { notificationCounts, writeCounts } from '../helpers/db-state';
import { HOUR, ManualClock } from '../helpers/clock';
import { connectBoard, nextEvent } from '../helpers/sockets';
import { drivers, startSecondInstance, startTestApp, type TestApp } from '../helpers/test-app';

/** Waits until every event committed so far is numbered and fanned out on `app`. */
async function settled(app: TestApp): Promise<void> {
  await app.running.sequencer.flush();
  await app.running.notifier.idle();
}

async function inbox(user: TestUser, query = '') {
  const res = await user.agent.get(`/api/v1/notifications${query}`).expect(200);
  return res.body as {
    items: {
      id: string;
      kind: string;
      title: string;
      taskId: string;
      taskCode: string | null;
      readAt: string | null;
    }[];
    nextCursor: string | null;
    unreadCount: number;
  };
}

describe.each(drivers)('notifications on %s', (driver) => {
  let app: TestApp;
  let w: World;
  let manager2: TestUser;
  // The reminders and stale claims wait on this clock; the jobs run when a test asks.
  const clock = new ManualClock(Date.now() + 60_000);
  beforeAll(async () => {
    app = await startTestApp(driver, { JOBS_CHECK_SECONDS: '0' }, { clock });
    w = await makeWorld(app);
    manager2 = await makeUser(app, 'manager', { communeId: w.stricken.id });
  });
  afterAll(async () => {
    await app.stop();
  });

  it('tells each manager of the requesting commune once that their task was claimed, in their language', async () => {
    await manager2.agent.patch('/api/v1/me').send({ locale: 'en' }).expect(200);
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await settled(app);
    // The scheduled job finds nothing left to do: the kick did it, once.
    await app.running.scheduler.runDue();
    const rows = await app.running.database.db.select().from(notifications).where(eq(notifications.taskId, task.id));
    expect(rows.map((r) => r.userId).sort()).toEqual([w.manager.id, manager2.id].sort());
    const fr = (await inbox(w.manager)).items.find((n) => n.taskId === task.id);
    expect(fr).toMatchObject({ kind: 'claim', taskStatus: 'claimed', readAt: null });
    expect(fr?.title).toBe(`Certificat de résidence ${task.code} : prise en charge par ${w.helper.name}`);
    expect(fr?.taskCode).toBe(task.code);
    const en = (await inbox(manager2)).items.find((n) => n.taskId === task.id);
    expect(en?.title).toBe(`Residence certificate ${task.code}: claimed by ${w.helper.name}`);
    // No citizen data nor free text: the title and details are not in it.
    expect(JSON.stringify(en)).not.toMatch(/Jeanne|Dupont|mutuelle|Certificat [0-9a-f]{8}/);
    // The clerk who claimed hears nothing of their own act.
    expect((await inbox(w.clerk)).items.filter((n) => n.taskId === task.id)).toEqual([]);
  });

  it('tells the requester when it is done and the holder when it is cancelled or reassigned, never the actor', async () => {
    const done = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${done.id}/claim`).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${done.id}/start`).send({ version: 2 }).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${done.id}/complete`).send({ version: 3 }).expect(200);
    const cancelled = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${cancelled.id}/claim`).expect(200);
    await w.manager.agent.post(`/api/v1/tasks/${cancelled.id}/cancel`).send({ version: 2 }).expect(200);
    const moved = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${moved.id}/claim`).expect(200);
    await w.coordinator.agent
      .post(`/api/v1/tasks/${moved.id}/reassign`)
      .send({ version: 2, communeId: w.helper2.id })
      .expect(200);
    await settled(app);
    const kinds = async (user: TestUser, taskId: string) =>
      (await inbox(user)).items.filter((n) => n.taskId === taskId).map((n) => n.kind);
    expect(await kinds(w.manager, done.id)).toEqual(['complete', 'claim']);
    expect(await kinds(w.clerk, cancelled.id)).toEqual(['cancel']);
    expect(await kinds(w.manager, cancelled.id)).toEqual(['claim']);
    expect(await kinds(w.clerk2, moved.id)).toEqual(['reassign']);
    expect(await kinds(w.clerk, moved.id)).toEqual(['reassign']);
    expect(await kinds(w.coordinator, moved.id)).toEqual([]);
  });

  it('tells the holder’s clerks when the coordinator releases their task, and the requester', async () => {
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await w.coordinator.agent
      .post(`/api/v1/tasks/${task.id}/release`)
      .send({ version: 2, reason: 'Plus de personnel' })
      .expect(200);
    await settled(app);
    const clerkSees = (await inbox(w.clerk)).items.filter((n) => n.taskId === task.id);
    expect(clerkSees).toHaveLength(1);
    expect(clerkSees[0]?.title).toMatch(/relâchée par la coordination, de retour au tableau$/);
    expect((await inbox(w.manager)).items.filter((n) => n.taskId === task.id).map((n) => n.kind)).toEqual([
      'release',
      'claim',
    ]);
  });

  it('pushes notification:created to the reader’s own socket only', async () => {
    const mine = await connectBoard(app.url, w.manager.cookie);
    const theirs = await connectBoard(app.url, w.clerk2.cookie);
    try {
      let leaked = false;
      theirs.on('notification:created', () => {
        leaked = true;
      });
      const task = await postTask(w.manager);
      const heard = nextEvent(mine, 'notification:created', (p) => p.notification.taskId === task.id);
      await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const { notification } = await heard;
      expect(notification).toMatchObject({ kind: 'claim', taskId: task.id, readAt: null });
      expect(notification.title).toContain('prise en charge');
      await settled(app);
      expect(leaked).toBe(false);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('reads, marks read, marks all read, pages, and keeps each inbox to its owner', async () => {
    expect((await app.anonymous().get('/api/v1/notifications')).status).toBe(401);
    const bad = await w.manager.agent.get('/api/v1/notifications?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'limit', message: 'must be a whole number from 1 to 100' });
    expect((await w.manager.agent.get('/api/v1/notifications?limit=101')).status).toBe(400);
    expect((await w.manager.agent.get('/api/v1/notifications?unread=yes')).status).toBe(400);

    for (let i = 0; i < 3; i++) {
      const task = await postTask(w.manager);
      await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    }
    await settled(app);
    const all = await inbox(w.manager);
    expect(all.unreadCount).toBeGreaterThanOrEqual(3);
    const [newest, second] = all.items;
    if (!newest || !second) throw new Error('expected notifications');

    const first = await inbox(w.manager, '?limit=1');
    expect(first.items.map((n) => n.id)).toEqual([newest.id]);
    expect(first.nextCursor).not.toBeNull();
    const next = await inbox(w.manager, `?limit=1&cursor=${first.nextCursor ?? ''}`);
    expect(next.items.map((n) => n.id)).toEqual([second.id]);

    // Someone else's notification is not found, and nothing changes.
    const before = [await writeCounts(app), await notificationCounts(app)];
    expect((await manager2.agent.post(`/api/v1/notifications/${newest.id}/read`)).status).toBe(404);
    expect((await w.clerk.agent.post(`/api/v1/notifications/${newest.id}/read`)).status).toBe(404);
    expect((await w.manager.agent.post('/api/v1/notifications/not-an-id/read')).status).toBe(400);
    expect([await writeCounts(app), await notificationCounts(app)]).toEqual(before);
    expect((await inbox(w.manager)).unreadCount).toBe(all.unreadCount);

    const read = await w.manager.agent.post(`/api/v1/notifications/${newest.id}/read`).expect(200);
    expect(read.body.readAt).not.toBeNull();
    const count = await w.manager.agent.get('/api/v1/notifications/unread-count').expect(200);
    expect(count.body).toEqual({ unreadCount: all.unreadCount - 1 });
    expect((await inbox(w.manager, '?unread=true')).items.map((n) => n.id)).not.toContain(newest.id);

    const other = (await inbox(manager2)).unreadCount;
    const allRead = await w.manager.agent.post('/api/v1/notifications/read-all').expect(200);
    expect(allRead.body).toEqual({ marked: all.unreadCount - 1, unreadCount: 0 });
    expect((await inbox(w.manager, '?unread=true')).items).toEqual([]);
    expect((await inbox(manager2)).unreadCount).toBe(other);
  });

  it('lets a user set their language and e-mail address, and the admin set an address, refusing nonsense', async () => {
    const before = [await writeCounts(app), await notificationCounts(app)];
    for (const body of [{ locale: 'de' }, { email: 'not an address' }, { role: 'admin' }]) {
      const res = await w.clerk2.agent.patch('/api/v1/me').send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect([await writeCounts(app), await notificationCounts(app)]).toEqual(before);
    const me = await w.clerk2.agent.patch('/api/v1/me').send({ locale: 'en', email: 'clerk2@example.org' }).expect(200);
    expect(me.body).toMatchObject({ locale: 'en', email: 'clerk2@example.org', id: w.clerk2.id });
    expect((await w.clerk2.agent.get('/api/v1/me')).body).toMatchObject({ locale: 'en', email: 'clerk2@example.org' });
    await w.admin.agent.patch(`/api/v1/users/${w.clerk2.id}`).send({ email: 'office@example.org' }).expect(200);
    expect((await w.clerk2.agent.get('/api/v1/me')).body.email).toBe('office@example.org');
    await w.clerk2.agent.patch('/api/v1/me').send({ email: null }).expect(200);
    expect((await w.clerk2.agent.get('/api/v1/me')).body).toMatchObject({ email: null, locale: 'en' });
  });

  // Last: moving the clock reminds and releases the other tests' claims too (each test reads its own tasks).
  it('tells the holder’s clerks of a reminder, and both communes of a release by the system', async () => {
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    const about = async (user: TestUser) => (await inbox(user)).items.filter((n) => n.taskId === task.id);
    clock.advance(5 * HOUR);
    await app.running.scheduler.runDue();
    await settled(app);
    const reminded = await about(w.clerk);
    expect(reminded.map((n) => n.kind)).toEqual(['reminded']);
    expect(reminded[0]?.title).toMatch(/ : rappel : prise en charge mais pas encore commencée$/);
    expect((await about(w.manager)).map((n) => n.kind)).toEqual(['claim']);

    clock.advance(20 * HOUR);
    await app.running.scheduler.runDue();
    await settled(app);
    const released = await about(w.clerk);
    expect(released.map((n) => n.kind)).toEqual(['release', 'reminded']);
    expect(released[0]?.title).toMatch(/ : relâchée automatiquement, de retour au tableau$/);
    expect((await about(w.manager)).map((n) => n.kind)).toEqual(['release', 'claim']);
  });
});

// Two instances on one PostgreSQL database: each kicks its own fan-out and runs the job; a claim
// still gives each manager exactly one notification, and the cursor ends at the head.
if (drivers.includes('postgres')) {
  describe('notifications across two instances', () => {
    let first: TestApp;
    let second: TestApp;
    let w: World;
    beforeAll(async () => {
      first = await startTestApp('postgres', { JOBS_CHECK_SECONDS: '0' });
      second = await startSecondInstance(first);
      w = await makeWorld(first);
    });
    afterAll(async () => {
      await second.stop();
      await first.stop();
    });

    it('fans each claim out once, whichever instance numbers or sweeps it', async () => {
      const manager2 = await makeUser(first, 'manager', { communeId: w.stricken.id });
      const tasks = await Promise.all(Array.from({ length: 6 }, () => postTask(w.manager)));
      const clerkOnSecond = second.anonymous();
      await clerkOnSecond
        .post('/api/v1/auth/login')
        .send({ username: w.clerk2.username, password: 'correct-horse-battery-staple' })
        .expect(200);
      await Promise.all(
        tasks.map((t, i) =>
          i % 2 === 0
            ? w.clerk.agent.post(`/api/v1/tasks/${t.id}/claim`).expect(200)
            : clerkOnSecond.post(`/api/v1/tasks/${t.id}/claim`).expect(200),
        ),
      );
      await Promise.all([
        first.running.sequencer.flush(),
        second.running.sequencer.flush(),
        first.running.scheduler.runDue(),
        second.running.scheduler.runDue(),
      ]);
      await Promise.all([settled(first), settled(second)]);
      const db = first.running.database.db;
      for (const t of tasks) {
        const rows = await db.select().from(notifications).where(eq(notifications.taskId, t.id));
        expect(rows.map((r) => r.userId).sort()).toEqual([w.manager.id, manager2.id].sort());
      }
      const [cursor] = await db.select().from(notifierCursor);
      expect(cursor?.lastSeq).toBe(
        await first.running.sequencer.flush().then(async () => {
          const { lastSequence } = await import('../../server/db/events');
          return lastSequence(db);
        }),
      );
    });

    it('pushes each notification once to its user’s socket, on whichever instance that socket is', async () => {
      const manager2 = await makeUser(first, 'manager', { communeId: w.stricken.id });
      // One socket on each instance: whichever instance fans a claim out, one of them is on the other.
      const onFirst = await connectBoard(first.url, w.manager.cookie);
      const onSecond = await connectBoard(second.url, manager2.cookie);
      const heard = new Map<string, string[]>();
      for (const [name, socket] of [
        ['first', onFirst],
        ['second', onSecond],
      ] as const) {
        socket.on('notification:created', ({ notification }) => {
          heard.set(name, [...(heard.get(name) ?? []), notification.taskId ?? 'none']);
        });
      }
      try {
        const tasks = await Promise.all(Array.from({ length: 4 }, () => postTask(w.manager)));
        const lastHeard = Promise.all(
          [onFirst, onSecond].map((socket) =>
            nextEvent(socket, 'notification:created', (p) => p.notification.taskId === tasks[3]?.id),
          ),
        );
        for (const t of tasks) await w.clerk.agent.post(`/api/v1/tasks/${t.id}/claim`).expect(200);
        await lastHeard;
        await Promise.all([settled(first), settled(second)]);
        const ids = tasks.map((t) => t.id).sort();
        expect(heard.get('first')?.sort()).toEqual(ids);
        expect(heard.get('second')?.sort()).toEqual(ids);
      } finally {
        onFirst.close();
        onSecond.close();
      }
    });
  });
}
