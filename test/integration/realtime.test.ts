import { BoardFeed } from '../../shared/board-feed';
import { connectErrors, TaskBroadcast } from '../../shared/events';
import type { BoardChange } from '../../shared/schemas';
import { makeUser, makeWorld, postTask } from '../factories';
import { boardSync, connectBoard, nextEvent, type BoardClient } from '../helpers/sockets';
import { drivers, startSecondInstance, startTestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('live board on %s', (driver) => {
  const t = useWorld(driver);
  const open: BoardClient[] = [];
  const connect = async (cookie?: string, url = t.app.url) => {
    const socket = await connectBoard(url, cookie);
    open.push(socket);
    return socket;
  };
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });

  it('refuses a connection without a valid session, saying why', async () => {
    await expect(connectBoard(t.app.url)).rejects.toThrow(connectErrors.unauthenticated);
    await expect(connectBoard(t.app.url, 'entraide.sid=s%3Aforged.signature')).rejects.toThrow(
      connectErrors.unauthenticated,
    );
  });

  it("sends a region's changes to its members only, without citizen data, in order, each linked to the one before", async () => {
    const clerk = await connect(t.w.clerk.cookie);
    const coordinator = await connect(t.w.coordinator.cookie);
    const foreign = await connect(t.w.foreignClerk.cookie);
    const admin = await connect(t.w.admin.cookie);
    const seenByForeign: string[] = [];
    const seenByAdmin: string[] = [];
    foreign.on('task:created', (p) => seenByForeign.push(p.task.id));
    admin.on('task:created', (p) => seenByAdmin.push(p.task.id));
    const updates: TaskBroadcast[] = [];
    clerk.on('task:updated', (p) => updates.push(p));

    const created = nextEvent(clerk, 'task:created');
    const createdForCoordinator = nextEvent(coordinator, 'task:created');
    const task = await postTask(t.w.manager);
    const first = await created;
    expect(first.task).toMatchObject({ id: task.id, status: 'open', hasCitizenData: true });
    expect(TaskBroadcast.strict().safeParse(first).success).toBe(true);
    expect(JSON.stringify(first)).not.toContain('Jeanne');
    expect((await createdForCoordinator).seq).toBe(first.seq);

    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
    const done = nextEvent(clerk, 'task:updated', (p) => p.task.status === 'done');
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 3, note: 'Remis' }).expect(200);
    await done;
    expect(updates.map((u) => u.task.status)).toEqual(['claimed', 'in_progress', 'done']);
    expect(updates[0]?.prev).toBe(first.seq);
    expect(updates[1]?.prev).toBe(updates[0]?.seq);
    expect(updates[2]?.prev).toBe(updates[1]?.seq);

    // Region B's own change reaches its clerk; region A's never did.
    const foreignCreated = nextEvent(foreign, 'task:created');
    const theirs = await postTask(t.w.foreignManager);
    expect((await foreignCreated).task.id).toBe(theirs.id);
    expect(seenByForeign).toEqual([theirs.id]);
    expect(seenByAdmin).toEqual([]);
  });

  it("pushes incident changes and the region's loads", async () => {
    const clerk = await connect(t.w.clerk.cookie);
    const incident = nextEvent(clerk, 'incident:updated');
    const declared = await t.w.coordinator.agent
      .post('/api/v1/incidents')
      .send({ communeId: t.w.helper2.id, kind: 'flood', title: 'Crue' });
    expect(declared.status).toBe(201);
    expect((await incident).incident).toMatchObject({ id: declared.body.id, status: 'active' });
    const loads = await nextEvent(clerk, 'load:updated');
    expect(loads.loads.map((l) => l.communeId).sort()).toEqual([t.w.stricken.id, t.w.helper.id, t.w.helper2.id].sort());
  });

  it('gives a reconnecting client everything it missed, through board:sync', async () => {
    const clerk2 = await connect(t.w.clerk2.cookie);
    const before = await boardSync(clerk2, { since: 0 });
    if (!before.ok) throw new Error('sync failed');
    const applied: BoardChange[] = [];
    const feed = new BoardFeed({
      since: before.page.last,
      sync: async (since) => {
        const answer = await boardSync(current, { since });
        if (!answer.ok) throw new Error(answer.problem.detail);
        return answer.page;
      },
      apply: (c) => applied.push(c),
    });
    let current = clerk2;
    clerk2.close();
    // While it is away: a post, a claim and a release.
    const task = await postTask(t.w.manager);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/release`).send({ version: 2, reason: 'Erreur' }).expect(200);
    current = await connect(t.w.clerk2.cookie);
    current.on('task:updated', (p) =>
      feed.receive({ type: 'task:updated', seq: p.seq, prev: p.prev, at: '', task: p.task }),
    );
    await feed.resync();
    const mine = applied.filter((c) => 'task' in c && c.task.id === task.id);
    expect(mine.map((c) => `${c.type}:${'task' in c ? c.task.status : ''}`)).toEqual([
      'task:created:open',
      'task:updated:claimed',
      'task:updated:open',
    ]);
    // Live again: the next change arrives through the socket and the feed applies it in order.
    const live = nextEvent(current, 'task:updated', (p) => p.task.id === task.id);
    await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await live;
    await new Promise((r) => setTimeout(r, 50));
    expect(applied[applied.length - 1]).toMatchObject({
      task: { id: task.id, status: 'claimed', claimedByCommuneId: t.w.helper2.id },
    });
    const seqs = applied.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('answers a bad board:sync with a problem, survives garbage, and rate-limits a chatty connection', async () => {
    const clerk = await connect(t.w.clerk.cookie);
    const bad = await boardSync(clerk, { since: -1, extra: true });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problem.status).toBe(400);
      expect(bad.problem.errors?.map((e) => e.field).sort()).toEqual(['extra', 'since']);
    }
    (clerk.emit as (event: string, ...args: unknown[]) => void)('board:sync', 'garbage');
    (clerk.emit as (event: string, ...args: unknown[]) => void)('nonsense', { a: 1 });
    const ok = await boardSync(clerk, { since: 0 });
    expect(ok.ok).toBe(true);
    const answers = await Promise.all(Array.from({ length: 25 }, () => boardSync(clerk, { since: 0 })));
    const limited = answers.filter((a) => !a.ok && a.problem.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(clerk.connected).toBe(true);
  });

  it('cuts off a client that stops reading, while the others get every change', async () => {
    // A long-polling client that connects and then never polls again: the server must queue for it.
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const handshake = await t.app.anonymous().get('/socket.io/?EIO=4&transport=polling').set('Cookie', user.cookie);
    const sid = (JSON.parse(handshake.text.slice(1)) as { sid: string }).sid;
    await t.app
      .anonymous()
      .post(`/socket.io/?EIO=4&transport=polling&sid=${sid}`)
      .set('Content-Type', 'text/plain')
      .send('40')
      .expect(200);
    const sockets = () =>
      [...t.app.running.realtime.io.of('/').sockets.values()].filter((s) => s.data.actor.id === user.id);
    expect(sockets()).toHaveLength(1);

    const reader = await connect(t.w.clerk.cookie);
    let received = 0;
    reader.on('task:created', () => {
      received += 1;
    });
    const rows = Array.from({ length: 600 }, (_, i) => ({ type: 'certificat_residence', title: `Lot ${i}` }));
    await t.w.manager.agent.post('/api/v1/tasks/bulk').send(rows).expect(201);
    await t.w.manager.agent.post('/api/v1/tasks/bulk').send(rows).expect(201);
    const deadline = Date.now() + 5000;
    while ((sockets().length > 0 || received < 1200) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(sockets()).toHaveLength(0);
    expect(received).toBe(1200);
  });

  it('disconnects the sockets of a session at logout, and of a user at deactivation', async () => {
    const user = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const socket = await connect(user.cookie);
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await user.agent.post('/api/v1/auth/logout').expect(204);
    expect(await gone).toBe('io server disconnect');
    await expect(connectBoard(t.app.url, user.cookie)).rejects.toThrow(connectErrors.unauthenticated);

    const other = await makeUser(t.app, 'clerk', { communeId: t.w.helper.id });
    const socket2 = await connect(other.cookie);
    const gone2 = new Promise<string>((resolve) => socket2.once('disconnect', resolve));
    await t.w.admin.agent.patch(`/api/v1/users/${other.id}`).send({ active: false }).expect(200);
    expect(await gone2).toBe('io server disconnect');
  });
});

const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('two instances on one %s database', (driver) => {
    it('delivers a change made through instance A to a socket on instance B, and B serves its resync', async () => {
      const a = await startTestApp(driver);
      const b = await startSecondInstance(a);
      try {
        // B numbers nothing itself: whatever reaches its socket was numbered by A, and B learnt of it
        // through PostgreSQL.
        await b.running.sequencer.stop();
        const w = await makeWorld(a);
        const onB = await connectBoard(b.url, w.clerk.cookie);
        const received = nextEvent(onB, 'task:created');
        const task = await postTask(w.manager);
        expect((await received).task.id).toBe(task.id);
        const claimed = nextEvent(onB, 'task:updated');
        await w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
        expect((await claimed).task.claimedByCommuneId).toBe(w.helper2.id);
        const sync = await boardSync(onB, { since: 0 });
        expect(sync.ok && sync.page.items.some((c) => 'task' in c && c.task.id === task.id)).toBe(true);
        // A burst through A arrives on B complete and in order.
        const seqs: number[] = [];
        onB.on('task:created', (p) => seqs.push(p.seq));
        const rows = Array.from({ length: 300 }, (_, i) => ({ type: 'certificat_residence', title: `Lot ${i}` }));
        await w.manager.agent.post('/api/v1/tasks/bulk').send(rows).expect(201);
        const deadline = Date.now() + 5000;
        while (seqs.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(seqs).toHaveLength(300);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        // Logging out through A closes the session's socket on B (the adapter reaches B's sockets).
        const gone = new Promise<string>((resolve) => onB.once('disconnect', resolve));
        await w.clerk.agent.post('/api/v1/auth/logout').expect(204);
        expect(await gone).toBe('io server disconnect');
      } finally {
        await b.stop();
        await a.stop();
      }
    });
  });
}
