import { makeWorld, postTask, taskInput } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('tasks on %s', (driver) => {
  const t = useWorld(driver);

  describe('POST /tasks', () => {
    it('answers 401 without a session', async () => {
      const res = await t.app.anonymous().post('/api/v1/tasks').send(taskInput());
      expect(res.status).toBe(401);
    });

    it('answers 400 with each bad field, and writes nothing', async () => {
      const before = await writeCounts(t.app);
      const res = await t.w.manager.agent.post('/api/v1/tasks').send({
        title: '',
        priority: 'whenever',
        dueAt: 'tomorrow',
        surprise: 1,
        citizen: { nationalNumber: '12345678901' },
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.title).toBe('Bad request');
      const byField = Object.fromEntries(
        (res.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]),
      );
      expect(byField).toMatchObject({
        type: expect.any(String),
        title: 'is required',
        priority: 'must be urgent, high, normal or low',
        dueAt: 'must be a date and time in ISO 8601 format, e.g. 2026-11-24T17:00:00Z',
        surprise: 'is not a field this request accepts',
        'citizen.fullName': 'is required',
        'citizen.nationalNumber': 'must be a valid national register number (11 digits)',
      });
      // The same, for a program: what the browser says in the user's language.
      const codes = Object.fromEntries(
        (res.body.errors as { field: string; code: string; params?: unknown }[]).map((e) => [
          e.field,
          [e.code, e.params],
        ]),
      );
      expect(codes).toMatchObject({
        title: ['required', undefined],
        priority: ['one_of', { values: 'urgent, high, normal, low' }],
        dueAt: ['invalid_format', { format: 'datetime' }],
        surprise: ['unknown_field', undefined],
        'citizen.fullName': ['required', undefined],
        'citizen.nationalNumber': ['national_number', undefined],
      });
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it('answers 400 to an unknown task type, a foreign incident, malformed JSON, 413 to an oversized body, 415 to text', async () => {
      const before = await writeCounts(t.app);
      const unknownType = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ type: 'permis_de_voler' }));
      expect(unknownType.status).toBe(400);
      expect(unknownType.body.errors).toEqual([
        {
          row: 1,
          field: 'type',
          message: 'is not a known task type (permis_de_voler)',
          code: 'unknown_task_type',
          params: { type: 'permis_de_voler' },
        },
      ]);
      const foreignIncident = await t.w.manager.agent
        .post('/api/v1/tasks')
        .send(taskInput({ incidentId: '00000000-0000-4000-8000-000000000000' }));
      expect(foreignIncident.status).toBe(400);
      expect(foreignIncident.body.errors[0].field).toBe('incidentId');
      const malformed = await t.w.manager.agent
        .post('/api/v1/tasks')
        .set('Content-Type', 'application/json')
        .send('{"title": ');
      expect(malformed.status).toBe(400);
      expect(malformed.body.detail).toBe('The request body is not valid JSON.');
      const huge = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ details: 'x'.repeat(200 * 1024) }));
      expect(huge.status).toBe(413);
      expect(huge.body.status).toBe(413);
      const text = await t.w.manager.agent.post('/api/v1/tasks').set('Content-Type', 'text/plain').send('hello');
      expect(text.status).toBe(415);
      const notAnObject = await t.w.manager.agent.post('/api/v1/tasks').send([1, 2]);
      expect(notAnObject.status).toBe(400);
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it('answers 403 to a clerk, the DPO and the admin (the coordinator posts on behalf: posting-on-behalf.test.ts)', async () => {
      for (const user of [t.w.clerk, t.w.dpo, t.w.admin]) {
        const res = await user.agent.post('/api/v1/tasks').send(taskInput());
        expect(res.status).toBe(403);
        expect(res.body.detail).toBe(
          "Only a commune's manager, or the region's coordinator for a commune in incident, can post tasks.",
        );
      }
    });

    it("posts a task for the manager's commune, due by the type's SLA, and a retry with the same id creates nothing", async () => {
      const id = crypto.randomUUID();
      const started = Date.now();
      const res = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ id }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id,
        requestingCommuneId: t.w.stricken.id,
        regionId: t.w.region.id,
        status: 'open',
        version: 1,
        hasCitizenData: true,
        claimedByCommuneId: null,
        overdue: false,
        abilities: { update: true, cancel: true, claim: false, viewCitizen: true },
      });
      expect(res.body.citizen).toBeUndefined();
      const due = new Date(res.body.dueAt as string).getTime();
      expect(due).toBeGreaterThanOrEqual(started + 48 * 3_600_000 - 1000);
      expect(due).toBeLessThanOrEqual(Date.now() + 48 * 3_600_000 + 1000);
      const before = await writeCounts(t.app);
      const retry = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ id }));
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(id);
      expect(await writeCounts(t.app)).toEqual(before);
      // Another commune cannot take that id.
      const stolen = await t.w.foreignManager.agent.post('/api/v1/tasks').send(taskInput({ id }));
      expect(stolen.status).toBe(400);
      expect(stolen.body.errors[0]).toMatchObject({ field: 'id', message: 'is already used by another task' });
    });
  });

  describe('GET /tasks/:id and citizen data', () => {
    it('answers 401, then 400 to a malformed id, then 404 across regions, then the task', async () => {
      const task = await postTask(t.w.manager);
      expect((await t.app.anonymous().get(`/api/v1/tasks/${task.id}`)).status).toBe(401);
      const bad = await t.w.clerk.agent.get('/api/v1/tasks/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('task id');
      for (const outsider of [t.w.foreignClerk, t.w.foreignManager, t.w.foreignCoordinator, t.w.admin]) {
        const res = await outsider.agent.get(`/api/v1/tasks/${task.id}`);
        expect(res.status).toBe(404);
        expect(res.body.detail).toBe('This task does not exist or is not visible to you.');
      }
      const missing = await t.w.clerk.agent.get('/api/v1/tasks/00000000-0000-4000-8000-000000000000');
      expect(missing.status).toBe(404);
    });

    it('shows citizen data to the requesting commune and the claim holder only, and records every read', async () => {
      const task = await postTask(t.w.manager);
      const own = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`);
      expect(own.status).toBe(200);
      expect(own.body.citizen).toEqual({
        fullName: 'Jeanne Dupont',
        nationalNumber: '85073003328',
        birthDate: '1985-07-30',
      });
      const sameCommuneClerk = await t.w.strickenClerk.agent.get(`/api/v1/tasks/${task.id}`);
      expect(sameCommuneClerk.body.citizen).toBeDefined();
      for (const other of [t.w.clerk, t.w.clerk2, t.w.coordinator]) {
        const res = await other.agent.get(`/api/v1/tasks/${task.id}`);
        expect(res.status).toBe(200);
        expect(res.body.citizen).toBeUndefined();
        expect(res.body.abilities.viewCitizen).toBe(false);
      }
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const holder = await t.w.clerk.agent.get(`/api/v1/tasks/${task.id}`);
      expect(holder.body.citizen.fullName).toBe('Jeanne Dupont');
      expect((await t.w.clerk2.agent.get(`/api/v1/tasks/${task.id}`)).body.citizen).toBeUndefined();

      const reads = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/citizen-reads`);
      expect(reads.status).toBe(200);
      const readers = (reads.body.items as { userId: string }[]).map((r) => r.userId).sort();
      expect(readers).toEqual([t.w.manager.id, t.w.strickenClerk.id, t.w.clerk.id].sort());
      expect((await t.w.clerk.agent.get(`/api/v1/tasks/${task.id}/citizen-reads`)).status).toBe(403);
      expect((await t.w.foreignManager.agent.get(`/api/v1/tasks/${task.id}/citizen-reads`)).status).toBe(404);
    });

    it('never stores citizen data in clear', async () => {
      const task = await postTask(t.w.manager, { citizen: { fullName: 'Zorro Incognito' } });
      const { findTask } = await import('../../server/resources/tasks/tasks-repo');
      const row = await findTask(t.app.running.database.db, task.id);
      expect(row?.citizenCiphertext).toMatch(/^v1\./);
      expect(JSON.stringify(row)).not.toContain('Zorro');
    });
  });

  describe('GET /tasks', () => {
    it('answers 400 to bad filters with each field named', async () => {
      const res = await t.w.clerk.agent.get('/api/v1/tasks?status=lost&limit=500&overdue=maybe&colour=red');
      expect(res.status).toBe(400);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(['colour', 'limit', 'overdue', 'status.0']);
      const cursor = await t.w.clerk.agent.get('/api/v1/tasks?cursor=garbage');
      expect(cursor.status).toBe(400);
      expect(cursor.body.errors[0].field).toBe('cursor');
    });

    it('answers 403 to the platform admin, who sees no tasks', async () => {
      expect((await t.w.admin.agent.get('/api/v1/tasks')).status).toBe(403);
    });

    it('filters, searches and pages with a cursor, and never shows another region', async () => {
      const world = await makeWorld(t.app);
      const soon = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      const urgent = await postTask(world.manager, { priority: 'urgent', dueAt: soon, title: 'Passeport pour greffe' });
      const late = await postTask(world.manager, { dueAt: past, type: 'composition_menage' });
      for (let i = 0; i < 5; i += 1) await postTask(world.manager);
      await postTask(world.foreignManager);
      const all = await world.clerk.agent.get('/api/v1/tasks?limit=100');
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(7);
      expect(all.body.nextCursor).toBeNull();
      expect((all.body.items as { regionId: string }[]).every((t) => t.regionId === world.region.id)).toBe(true);
      expect((all.body.items as { citizen?: unknown }[]).every((t) => t.citizen === undefined)).toBe(true);

      const first = await world.clerk.agent.get('/api/v1/tasks?limit=3');
      expect(first.body.items).toHaveLength(3);
      expect(first.body.items[0].id).toBe(late.id);
      const seen = new Set((first.body.items as { id: string }[]).map((t) => t.id));
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const next = await world.clerk.agent.get(`/api/v1/tasks?limit=3&cursor=${cursor}`);
        for (const t of next.body.items as { id: string }[]) seen.add(t.id);
        cursor = next.body.nextCursor as string | null;
      }
      expect(seen.size).toBe(7);

      const byPriority = await world.clerk.agent.get('/api/v1/tasks?priority=urgent');
      expect((byPriority.body.items as { id: string }[]).map((t) => t.id)).toEqual([urgent.id]);
      const overdue = await world.clerk.agent.get('/api/v1/tasks?overdue=true');
      expect((overdue.body.items as { id: string; overdue: boolean }[]).map((t) => [t.id, t.overdue])).toEqual([
        [late.id, true],
      ]);
      const notOverdue = await world.clerk.agent.get('/api/v1/tasks?overdue=false&limit=100');
      expect(notOverdue.body.items).toHaveLength(6);
      const byType = await world.clerk.agent.get('/api/v1/tasks?type=composition_menage');
      expect(byType.body.items).toHaveLength(1);
      const search = await world.clerk.agent.get(`/api/v1/tasks?q=${encodeURIComponent('GREFFE')}`);
      expect((search.body.items as { id: string }[]).map((t) => t.id)).toEqual([urgent.id]);
      const byCommune = await world.clerk.agent.get(`/api/v1/tasks?commune=${world.helper.id}`);
      expect(byCommune.body.items).toHaveLength(0);
      await world.clerk.agent.post(`/api/v1/tasks/${urgent.id}/claim`).expect(200);
      const claimed = await world.clerk.agent.get(
        `/api/v1/tasks?status=claimed,in_progress&claimedBy=${world.helper.id}`,
      );
      expect((claimed.body.items as { id: string }[]).map((t) => t.id)).toEqual([urgent.id]);
      const coordinatorView = await world.coordinator.agent.get('/api/v1/tasks?limit=100');
      expect(coordinatorView.body.items).toHaveLength(7);
      const foreignView = await world.foreignClerk.agent.get('/api/v1/tasks?limit=100');
      expect(foreignView.body.items).toHaveLength(1);
    });
  });

  describe('life cycle', () => {
    it('claims, starts and completes with an outcome note', async () => {
      const task = await postTask(t.w.manager);
      const claim = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`);
      expect(claim.status).toBe(200);
      expect(claim.body).toMatchObject({
        status: 'claimed',
        claimedByCommuneId: t.w.helper.id,
        claimedByUserId: t.w.clerk.id,
        version: 2,
      });
      expect(claim.body.abilities).toMatchObject({ start: true, release: true, claim: false });
      const start = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 });
      expect(start.status).toBe(200);
      expect(start.body).toMatchObject({ status: 'in_progress', version: 3 });
      const complete = await t.w.clerk.agent
        .post(`/api/v1/tasks/${task.id}/complete`)
        .set('If-Match', '"3"')
        .send({ note: 'Remis au guichet de Herstal' });
      expect(complete.status).toBe(200);
      expect(complete.body).toMatchObject({
        status: 'done',
        version: 4,
        outcome: 'Remis au guichet de Herstal',
        overdue: false,
      });
      const history = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/events`);
      expect(history.status).toBe(200);
      expect(
        (history.body.items as { action: string; toStatus: string }[]).map((e) => `${e.action}:${e.toStatus}`),
      ).toEqual(['create:open', 'claim:claimed', 'start:in_progress', 'complete:done']);
      expect(history.body.chainValid).toBe(true);
    });

    it("refuses the claim of a task of one's own commune (403), by a manager (403), across regions (404)", async () => {
      const task = await postTask(t.w.manager);
      const own = await t.w.strickenClerk.agent.post(`/api/v1/tasks/${task.id}/claim`);
      expect(own.status).toBe(403);
      expect(own.body.detail).toBe('Your commune posted this task: another commune must claim it.');
      expect((await t.w.manager.agent.post(`/api/v1/tasks/${task.id}/claim`)).status).toBe(403);
      expect((await t.w.coordinator.agent.post(`/api/v1/tasks/${task.id}/claim`)).status).toBe(403);
      const foreign = await t.w.foreignClerk.agent.post(`/api/v1/tasks/${task.id}/claim`);
      expect(foreign.status).toBe(404);
      const extra = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).send({ commune: 'mine' });
      expect(extra.status).toBe(400);
      const after = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`);
      expect(after.body).toMatchObject({ status: 'open', version: 1 });
    });

    it('tells the second claimer who holds the task, with 409', async () => {
      const task = await postTask(t.w.manager);
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const second = await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`);
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('already_claimed');
      expect(second.body.detail).toBe(`${t.w.helper.name} claimed this task first.`);
      expect(second.body.current).toMatchObject({ id: task.id, claimedByCommuneId: t.w.helper.id, status: 'claimed' });
      expect(second.body.current.citizen).toBeUndefined();
    });

    it('answers 409 with the current task to a stale version, and changes nothing', async () => {
      const task = await postTask(t.w.manager);
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const before = await writeCounts(t.app);
      const stale = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('stale_version');
      expect(stale.body.current).toMatchObject({ id: task.id, version: 2, status: 'claimed' });
      const staleEdit = await t.w.manager.agent
        .patch(`/api/v1/tasks/${task.id}`)
        .send({ version: 1, title: 'Changed' });
      expect(staleEdit.status).toBe(409);
      const missingVersion = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({});
      expect(missingVersion.status).toBe(400);
      expect(missingVersion.body.errors).toEqual([
        { field: 'version', message: 'must be the whole number the task showed', code: 'required' },
      ]);
      const wrongType = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: '2' });
      expect(wrongType.status).toBe(400);
      expect(await writeCounts(t.app)).toEqual(before);
    });

    it('answers 409 to an impossible change and 403 to the wrong commune', async () => {
      const task = await postTask(t.w.manager);
      const early = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 1 });
      expect(early.status).toBe(403);
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const notStarted = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 2 });
      expect(notStarted.status).toBe(409);
      expect(notStarted.body.code).toBe('invalid_transition');
      const otherClerk = await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 });
      expect(otherClerk.status).toBe(403);
      const requester = await t.w.manager.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 });
      expect(requester.status).toBe(403);
    });

    it('releases a claimed task back to the board with a reason, and another commune can claim it', async () => {
      const task = await postTask(t.w.manager);
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const noReason = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/release`).send({ version: 2 });
      expect(noReason.status).toBe(400);
      expect(noReason.body.errors[0]).toEqual({ field: 'reason', message: 'is required', code: 'required' });
      const release = await t.w.clerk.agent
        .post(`/api/v1/tasks/${task.id}/release`)
        .send({ version: 2, reason: 'Pas de personnel cet après-midi' });
      expect(release.status).toBe(200);
      expect(release.body).toMatchObject({
        status: 'open',
        claimedByCommuneId: null,
        claimedByUserId: null,
        version: 3,
      });
      await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const history = await t.w.manager.agent.get(`/api/v1/tasks/${task.id}/events`);
      const release1 = (history.body.items as { action: string; note: string | null }[]).find(
        (e) => e.action === 'release',
      );
      expect(release1?.note).toBe('Pas de personnel cet après-midi');
    });

    it('lets the coordinator release and reassign within the region, but not outside it', async () => {
      const task = await postTask(t.w.manager);
      await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      const toRequester = await t.w.coordinator.agent
        .post(`/api/v1/tasks/${task.id}/reassign`)
        .send({ version: 2, communeId: t.w.stricken.id });
      expect(toRequester.status).toBe(400);
      const toForeign = await t.w.coordinator.agent
        .post(`/api/v1/tasks/${task.id}/reassign`)
        .send({ version: 2, communeId: t.w.faraway.id });
      expect(toForeign.status).toBe(400);
      expect(toForeign.body.errors[0]).toEqual({
        field: 'communeId',
        message: 'must be a commune of the same region',
        code: 'invalid',
      });
      const byForeign = await t.w.foreignCoordinator.agent
        .post(`/api/v1/tasks/${task.id}/reassign`)
        .send({ version: 2, communeId: t.w.helper2.id });
      expect(byForeign.status).toBe(404);
      const byClerk = await t.w.clerk.agent
        .post(`/api/v1/tasks/${task.id}/reassign`)
        .send({ version: 2, communeId: t.w.helper2.id });
      expect(byClerk.status).toBe(403);
      const reassign = await t.w.coordinator.agent
        .post(`/api/v1/tasks/${task.id}/reassign`)
        .send({ version: 2, communeId: t.w.helper2.id });
      expect(reassign.status).toBe(200);
      expect(reassign.body).toMatchObject({
        status: 'claimed',
        claimedByCommuneId: t.w.helper2.id,
        claimedByUserId: null,
        version: 3,
      });
      expect(reassign.body.citizen).toBeUndefined();
      const history = await t.w.coordinator.agent.get(`/api/v1/tasks/${task.id}/events`);
      expect(
        (history.body.items as { action: string; note: string | null }[]).find((e) => e.action === 'reassign')?.note,
      ).toBe(`reassigned to ${t.w.helper2.name}`);
      await t.w.clerk2.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 3 }).expect(200);
      const release = await t.w.coordinator.agent
        .post(`/api/v1/tasks/${task.id}/release`)
        .send({ version: 4, reason: 'Rééquilibrage' });
      expect(release.status).toBe(200);
      expect(release.body.status).toBe('open');
    });

    it('lets the requesting manager edit and cancel, and nobody else', async () => {
      const task = await postTask(t.w.manager);
      const byClerk = await t.w.clerk.agent.patch(`/api/v1/tasks/${task.id}`).send({ version: 1, title: 'Hijack' });
      expect(byClerk.status).toBe(403);
      const edit = await t.w.manager.agent
        .patch(`/api/v1/tasks/${task.id}`)
        .send({ version: 1, priority: 'urgent', citizen: { fullName: 'Jeanne Dupont-Martin' } });
      expect(edit.status).toBe(200);
      expect(edit.body).toMatchObject({ priority: 'urgent', version: 2 });
      expect((await t.w.manager.agent.get(`/api/v1/tasks/${task.id}`)).body.citizen).toEqual({
        fullName: 'Jeanne Dupont-Martin',
      });
      expect((await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/cancel`).send({ version: 2 })).status).toBe(403);
      expect((await t.w.foreignManager.agent.post(`/api/v1/tasks/${task.id}/cancel`).send({ version: 2 })).status).toBe(
        404,
      );
      const cancel = await t.w.manager.agent
        .post(`/api/v1/tasks/${task.id}/cancel`)
        .send({ version: 2, reason: 'Doublon' });
      expect(cancel.status).toBe(200);
      expect(cancel.body).toMatchObject({
        status: 'cancelled',
        version: 3,
        abilities: { cancel: false, update: false },
      });
      const claimCancelled = await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`);
      expect(claimCancelled.status).toBe(409);
      expect(claimCancelled.body.code).toBe('invalid_transition');
    });
  });
});
