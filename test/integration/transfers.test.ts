import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import { communeClaimCounts, events, tasks, transferRequests } from '../../server/db/schema';
import type { JobRun } from '../../server/jobs/scheduler';
import { makeCommune, makeUser, makeWorld, postTask, type TestUser } from '../factories';
import { ManualClock } from '../helpers/clock';
import { writeCounts } from '../helpers/db-state';
import { connectBoard, nextEvent } from '../helpers/sockets';
import { drivers } from '../helpers/test-app';
import { useTwoInstances } from '../helpers/use-test-app';

const MINUTE = 60_000;

interface Request {
  id: string;
  status: string;
  taskId: string;
  askerCommuneId: string;
  holderCommuneId: string;
  expiresAt: string;
  abilities: { accept: boolean; decline: boolean };
}

async function claimed(clerk: TestUser, manager: TestUser) {
  const task = await postTask(manager);
  await clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
  return task;
}

async function ask(asker: TestUser, taskId: string, body: object = {}): Promise<Request> {
  const res = await asker.agent.post(`/api/v1/tasks/${taskId}/transfer-requests`).send(body);
  if (res.status !== 201) throw new Error(`transfer request failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Request;
}

/** The total a job reported over runs (of any instance). */
const total = (runs: JobRun[], job: string, key: string) =>
  runs.filter((r) => r.name === job).reduce((n, r) => n + (r.result[key] ?? 0), 0);

describe.each(drivers)('transfers on %s with two instances', (driver) => {
  const clock = new ManualClock(Date.now() + MINUTE);
  const apps = useTwoInstances(driver, clock);
  const both = async () => {
    const [a, b] = await Promise.all([apps.first.running.scheduler.runDue(), apps.second.running.scheduler.runDue()]);
    return [...a, ...b];
  };
  const settled = async () => {
    for (const app of [apps.first, apps.second]) {
      await app.running.sequencer.flush();
      await app.running.notifier.idle();
    }
  };
  const inbox = async (user: TestUser, taskId: string) => {
    await settled();
    const res = await user.agent.get('/api/v1/notifications?limit=100').expect(200);
    return (res.body.items as { kind: string; taskId: string; title: string }[])
      .filter((n) => n.taskId === taskId)
      .map((n) => n.kind)
      .sort();
  };
  const db = () => apps.first.running.database.db;
  /** The task, its transfer requests and its events: equal before and after means a refusal changed nothing. */
  const stateOf = async (taskId: string) => {
    const [task] = await db()
      .select({
        status: tasks.status,
        holder: tasks.claimedByCommuneId,
        version: tasks.version,
        request: tasks.transferRequestId,
      })
      .from(tasks)
      .where(eq(tasks.id, taskId));
    const requests = await db()
      .select({ id: transferRequests.id, status: transferRequests.status })
      .from(transferRequests)
      .where(eq(transferRequests.taskId, taskId))
      .orderBy(asc(transferRequests.createdAt));
    const [logged] = await db().select({ n: count() }).from(events).where(eq(events.taskId, taskId));
    return { task, requests, events: logged?.n, writes: await writeCounts(apps.first) };
  };
  /** Each commune's active claims as the triggers keep them, and as the tasks say: the cap reads the apps.first. */
  const claimCounts = async (communeIds: string[]) => {
    const kept = await db().select().from(communeClaimCounts).where(inArray(communeClaimCounts.communeId, communeIds));
    const actual = await db()
      .select({ communeId: tasks.claimedByCommuneId, n: sql<number>`count(*)::int` })
      .from(tasks)
      .where(sql`${tasks.claimedByCommuneId} in ${communeIds} and ${tasks.status} in ('claimed', 'in_progress')`)
      .groupBy(tasks.claimedByCommuneId);
    return communeIds.map((id) => ({
      kept: kept.find((k) => k.communeId === id)?.active ?? 0,
      actual: actual.find((a) => a.communeId === id)?.n ?? 0,
    }));
  };
  const history = async (user: TestUser, taskId: string) =>
    (await user.agent.get(`/api/v1/tasks/${taskId}/events`).expect(200)).body as {
      items: { action: string; actorKind: string; actorUserId: string | null; note: string | null }[];
      chainValid: boolean;
    };

  it('asks and accepts: the claim moves to the asker in one go, live, counted, in the history and the inboxes', async () => {
    const w = await makeWorld(apps.first);
    const task = await claimed(w.clerk, w.manager);
    const before = await claimCounts([w.helper.id, w.helper2.id]);
    const socket = await connectBoard(apps.first.url, w.manager.cookie);
    let request: Request;
    try {
      const badge = nextEvent(
        socket,
        'task:updated',
        (e) => e.task.id === task.id && e.task.transferRequestId !== null,
      );
      request = await ask(w.clerk2, task.id, { note: 'Nous avons du personnel libre' });
      expect(request).toMatchObject({
        status: 'open',
        taskId: task.id,
        askerCommuneId: w.helper2.id,
        holderCommuneId: w.helper.id,
        abilities: { accept: false, decline: false },
      });
      expect(new Date(request.expiresAt).getTime()).toBe(clock.now().getTime() + 120 * MINUTE);
      expect((await badge).task).toMatchObject({ transferRequestId: request.id, status: 'claimed', version: 2 });
    } finally {
      socket.close();
    }
    // The claim is not changed by the asking: its holder may still start it on the version they had.
    const seen = (await w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body;
    expect(seen).toMatchObject({ transferRequestId: request.id, version: 2, claimedByCommuneId: w.helper.id });
    // The holder finds it among the requests for its commune, and may answer; the asker among its own.
    const forHolder = (await w.clerk.agent.get('/api/v1/transfer-requests').expect(200)).body.items as Request[];
    expect(forHolder.find((r) => r.id === request.id)?.abilities).toEqual({ accept: true, decline: true });
    const mine = (await w.clerk2.agent.get(`/api/v1/transfer-requests?taskId=${task.id}`).expect(200)).body;
    expect(mine).toMatchObject({ items: [{ id: request.id, abilities: { accept: false } }], nextCursor: null });
    expect(await inbox(w.clerk, task.id)).toContain('transfer_requested');

    const accepted = await w.clerk.agent.post(`/api/v1/transfer-requests/${request.id}/accept`).send({}).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', abilities: { accept: false } });
    const moved = (await w.clerk2.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body;
    expect(moved).toMatchObject({
      status: 'claimed',
      claimedByCommuneId: w.helper2.id,
      claimedByUserId: w.clerk2.id,
      transferRequestId: null,
      version: 3,
      abilities: { start: true },
    });
    // The new holder reads the citizen data; the old one no longer does.
    expect(moved.citizen).toBeDefined();
    expect((await w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body.citizen).toBeUndefined();
    const after = await claimCounts([w.helper.id, w.helper2.id]);
    expect(after).toEqual([
      { kept: (before[0]?.kept ?? 0) - 1, actual: (before[0]?.actual ?? 0) - 1 },
      { kept: (before[1]?.kept ?? 0) + 1, actual: (before[1]?.actual ?? 0) + 1 },
    ]);
    const { items, chainValid } = await history(w.coordinator, task.id);
    expect(items.slice(-2)).toMatchObject([
      { action: 'transfer_requested', actorUserId: w.clerk2.id, note: 'Nous avons du personnel libre' },
      { action: 'transfer_accepted', actorUserId: w.clerk.id },
    ]);
    expect(chainValid).toBe(true);
    expect(await inbox(w.clerk2, task.id)).toEqual(['transfer_accepted']);
    expect((await w.clerk2.agent.get('/api/v1/transfer-requests').expect(200)).body.items).toEqual([]);
  });

  it('declines: the claim stays; nobody but the holder answers, and a refusal changes nothing', async () => {
    const w = await makeWorld(apps.first);
    const manager2 = await makeUser(apps.first, 'manager', { communeId: w.helper.id });
    const task = await claimed(w.clerk, w.manager);
    const request = await ask(w.clerk2, task.id);
    const untouched = await stateOf(task.id);
    const answer = (user: TestUser, verb: string) =>
      user.agent.post(`/api/v1/transfer-requests/${request.id}/${verb}`).send({});

    await apps.first.anonymous().post(`/api/v1/transfer-requests/${request.id}/decline`).send({}).expect(401);
    await w.clerk.agent.post(`/api/v1/transfer-requests/${request.id}/decline`).send({ reason: 'non' }).expect(400);
    await w.clerk.agent.post('/api/v1/transfer-requests/not-an-id/decline').send({}).expect(400);
    for (const [user, status] of [
      [w.clerk2, 403],
      [w.manager, 403],
      [w.strickenClerk, 403],
      [w.coordinator, 403],
      [w.foreignClerk, 404],
      [w.foreignManager, 404],
    ] as const) {
      for (const verb of ['accept', 'decline'])
        expect({ verb, got: (await answer(user, verb)).status }).toEqual({ verb, got: status });
    }
    expect((await answer(w.clerk2, 'accept')).body.detail).toBe(
      'Only the clerks and managers of the commune holding this task can answer its transfer request.',
    );
    expect(await stateOf(task.id)).toEqual(untouched);

    // The holder's manager answers too.
    const declined = await answer(manager2, 'decline').expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', abilities: { accept: false, decline: false } });
    expect((await w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body).toMatchObject({
      status: 'claimed',
      claimedByCommuneId: w.helper.id,
      transferRequestId: null,
      version: 2,
    });
    const closed = await stateOf(task.id);
    const again = await answer(w.clerk, 'accept').expect(409);
    expect(again.body).toMatchObject({ code: 'transfer_closed', detail: 'This transfer request is declined already.' });
    expect(await stateOf(task.id)).toEqual(closed);
    expect((await history(w.clerk, task.id)).items.at(-1)).toMatchObject({ action: 'transfer_declined' });
    expect(await inbox(w.clerk2, task.id)).toEqual(['transfer_declined']);
    // Declined, the task may be asked for again.
    await ask(w.clerk2, task.id);
  });

  it('refuses a request on a task that is not claimed, a second one, and bad input, writing nothing', async () => {
    const w = await makeWorld(apps.first);
    const open = await postTask(w.manager);
    const done = await claimed(w.clerk, w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${done.id}/start`).send({ version: 2 }).expect(200);
    const started = await claimed(w.clerk, w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${started.id}/start`).send({ version: 2 }).expect(200);
    await w.clerk.agent.post(`/api/v1/tasks/${done.id}/complete`).send({ version: 3 }).expect(200);
    const task = await claimed(w.clerk, w.manager);
    const path = (id: string) => `/api/v1/tasks/${id}/transfer-requests`;

    await apps.first.anonymous().post(path(task.id)).send({}).expect(401);
    const badBody = await w.clerk2.agent.post(path(task.id)).send({ note: 'NN 85.07.30-033.28', extra: 1 }).expect(400);
    expect(badBody.body.errors.map((e: { field: string }) => e.field)).toContain('note');
    const otherCommune = await w.clerk2.agent.post(path(task.id)).send({ communeId: w.helper.id }).expect(400);
    expect(otherCommune.body.errors).toEqual([
      expect.objectContaining({ field: 'communeId', message: 'must be left out, or be your own commune' }),
    ]);
    const unnamed = await w.coordinator.agent.post(path(task.id)).send({}).expect(400);
    expect(unnamed.body.errors).toEqual([expect.objectContaining({ field: 'communeId', message: 'is required' })]);
    const requester = await w.coordinator.agent.post(path(task.id)).send({ communeId: w.stricken.id }).expect(400);
    expect(requester.body.errors[0].message).toBe('must not be the commune that posted the task');
    const foreign = await w.coordinator.agent.post(path(task.id)).send({ communeId: w.faraway.id }).expect(400);
    expect(foreign.body.errors[0].message).toBe('must be a commune of the same region');
    await w.manager.agent.post(path(task.id)).send({}).expect(403);
    const own = await w.strickenClerk.agent.post(path(task.id)).send({}).expect(403);
    expect(own.body.detail).toBe('Your commune posted this task: another commune must take it.');
    await w.foreignClerk.agent.post(path(task.id)).send({}).expect(404);
    await w.foreignCoordinator.agent.post(path(task.id)).send({ communeId: w.helper2.id }).expect(404);
    const holder = await w.clerk.agent.post(path(task.id)).send({}).expect(409);
    expect(holder.body.code).toBe('already_holder');

    const expected = {
      [open.id]: 'This task is open: claim it instead of asking for a transfer.',
      [started.id]: 'This task is in progress: only a claimed task not yet started can be transferred.',
      [done.id]: 'This task is done: only a claimed task not yet started can be transferred.',
    };
    for (const [id, detail] of Object.entries(expected)) {
      const state = await stateOf(id);
      const res = await w.clerk2.agent.post(path(id)).send({}).expect(409);
      expect(res.body).toMatchObject({ code: 'not_transferable', detail });
      expect(await stateOf(id)).toEqual(state);
    }
    expect((await stateOf(task.id)).requests).toEqual([]);

    const request = await ask(w.coordinator, task.id, { communeId: w.helper2.id });
    const pending = await stateOf(task.id);
    const again = await w.clerk2.agent.post(path(task.id)).send({}).expect(409);
    expect(again.body).toMatchObject({ code: 'transfer_pending', current: { id: request.id } });
    expect(await stateOf(task.id)).toEqual(pending);
    // Two at once: one request, the other refused.
    const third = await makeCommune(apps.first, w.region.id);
    const clerk3 = await makeUser(apps.first, 'clerk', { communeId: third.id });
    await w.clerk.agent.post(`/api/v1/transfer-requests/${request.id}/decline`).send({}).expect(200);
    const race = await Promise.all([w.clerk2, clerk3].map((c) => c.agent.post(path(task.id)).send({})));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await stateOf(task.id)).requests.filter((r) => r.status === 'open')).toHaveLength(1);

    await w.clerk.agent.get('/api/v1/transfer-requests/not-an-id').expect(400);
    await w.clerk.agent.get(`/api/v1/transfer-requests/${open.id}`).expect(404);
    await w.foreignClerk.agent.get(`/api/v1/transfer-requests/${request.id}`).expect(404);
    await w.clerk.agent.get('/api/v1/transfer-requests?cursor=nope').expect(400);
  });

  it('cancels the request when the claim ends otherwise: started, released, reassigned', async () => {
    const w = await makeWorld(apps.first);
    const change = {
      start: (id: string) => w.clerk.agent.post(`/api/v1/tasks/${id}/start`).send({ version: 2 }),
      release: (id: string) => w.clerk.agent.post(`/api/v1/tasks/${id}/release`).send({ version: 2, reason: 'Non' }),
      reassign: (id: string) =>
        w.coordinator.agent.post(`/api/v1/tasks/${id}/reassign`).send({ version: 2, communeId: w.helper2.id }),
    };
    for (const [name, act] of Object.entries(change)) {
      const task = await claimed(w.clerk, w.manager);
      const request = await ask(w.clerk2, task.id);
      expect({ name, status: (await act(task.id)).status }).toEqual({ name, status: 200 });
      const now = (await w.clerk2.agent.get(`/api/v1/transfer-requests/${request.id}`).expect(200)).body;
      expect({ name, status: now.status }).toEqual({ name, status: 'cancelled' });
      expect((await w.clerk.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body.transferRequestId).toBeNull();
      const accept = await w.clerk.agent.post(`/api/v1/transfer-requests/${request.id}/accept`).send({});
      expect({ name, status: accept.status, code: accept.body.code }).toEqual({
        name,
        status: 409,
        code: 'transfer_closed',
      });
    }
  });

  it("applies the asker's cap on accept: 409 claim_cap and nothing moves until it has room", async () => {
    const w = await makeWorld(apps.first);
    await w.coordinator.agent
      .patch(`/api/v1/regions/${w.region.id}/settings`)
      .send({ maxActiveClaimsPerCommune: 1 })
      .expect(200);
    const task = await claimed(w.clerk, w.manager);
    const request = await ask(w.clerk2, task.id);
    const own = await claimed(w.clerk2, w.manager);
    const state = await stateOf(task.id);
    const counts = await claimCounts([w.helper.id, w.helper2.id]);
    const capped = await w.clerk.agent.post(`/api/v1/transfer-requests/${request.id}/accept`).send({}).expect(409);
    expect(capped.body).toMatchObject({ code: 'claim_cap', cap: 1, active: 1 });
    expect(capped.body.detail).toMatch(/^Helper2 .* already holds 1 active claims, and the region allows 1 at most/);
    expect(await stateOf(task.id)).toEqual(state);
    expect(await claimCounts([w.helper.id, w.helper2.id])).toEqual(counts);
    // Unanswered past its time, it waits for room too.
    clock.advance(121 * MINUTE);
    expect(total(await both(), 'transfer-timeouts', 'capped')).toBe(1);
    // (Other tests' requests timed out meanwhile: only this task's rows are compared.)
    const { writes: _, ...ofTask } = state;
    expect(await stateOf(task.id)).toMatchObject(ofTask);

    await w.clerk2.agent.post(`/api/v1/tasks/${own.id}/release`).send({ version: 2, reason: 'Place' }).expect(200);
    await w.clerk.agent.post(`/api/v1/transfer-requests/${request.id}/accept`).send({}).expect(200);
    expect(await claimCounts([w.helper.id, w.helper2.id])).toEqual([
      { kept: 0, actual: 0 },
      { kept: 1, actual: 1 },
    ]);
  });

  it('moves an unanswered request at its timeout, by the system, once across both instances', async () => {
    const w = await makeWorld(apps.first);
    await w.coordinator.agent
      .patch(`/api/v1/regions/${w.region.id}/settings`)
      .send({ transferTimeoutMinutes: 30 })
      .expect(200);
    await both();
    const task = await claimed(w.clerk, w.manager);
    const request = await ask(w.clerk2, task.id);
    clock.advance(29 * MINUTE);
    expect(total(await both(), 'transfer-timeouts', 'moved')).toBe(0);
    expect((await stateOf(task.id)).task).toMatchObject({ holder: w.helper.id, request: request.id });

    clock.advance(2 * MINUTE);
    const runs = await both();
    expect(runs.filter((r) => r.name === 'transfer-timeouts')).toHaveLength(1);
    expect(total(runs, 'transfer-timeouts', 'moved')).toBe(1);
    expect((await w.clerk2.agent.get(`/api/v1/tasks/${task.id}`).expect(200)).body).toMatchObject({
      claimedByCommuneId: w.helper2.id,
      claimedByUserId: w.clerk2.id,
      transferRequestId: null,
      version: 3,
    });
    expect((await w.clerk2.agent.get(`/api/v1/transfer-requests/${request.id}`).expect(200)).body.status).toBe(
      'timed_out',
    );
    const { items, chainValid } = await history(w.clerk2, task.id);
    expect(items.at(-1)).toMatchObject({ action: 'transfer_timed_out', actorKind: 'system', actorUserId: null });
    expect(chainValid).toBe(true);
    expect(await inbox(w.clerk2, task.id)).toEqual(['transfer_timed_out']);
    expect(await inbox(w.clerk, task.id)).toEqual(['transfer_requested', 'transfer_timed_out']);

    clock.advance(10 * MINUTE);
    expect(total(await both(), 'transfer-timeouts', 'moved')).toBe(0);
    const moves = await db()
      .select({ n: count() })
      .from(events)
      .where(sql`${events.taskId} = ${task.id} and ${events.action} = 'transfer_timed_out'`);
    expect(moves[0]?.n).toBe(1);
  });
});
