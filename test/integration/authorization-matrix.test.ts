import crypto from 'node:crypto';
import type request from 'supertest';
import { eq } from 'drizzle-orm';
import { accountRecoveries } from '../../server/db/schema';
import { endpoints } from '../../server/resources';
import { makeCommune, makeRegion, makeUser, postTask, taskInput, type TestUser, type World } from '../factories';
import { drivers, type TestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

/**
 * Every declared endpoint, called by every kind of actor: who reaches it, who gets 403 (their role
 * may not), who gets 404 (the row is outside what they may see), and that anonymous callers get 401
 * unless the endpoint is public. An endpoint without a row here fails the test, so a new endpoint
 * joins the matrix when it is declared. Answers that reach the handler may still be 400 or 409 (the
 * state of the row): the matrix is about who gets through.
 */

const actors = [
  'manager',
  'strickenClerk',
  'clerk',
  'coordinator',
  'foreignClerk',
  'foreignManager',
  'foreignCoordinator',
  'dpo',
  'foreignDpo',
  'admin',
] as const;
type ActorName = (typeof actors)[number];
const everyone: readonly ActorName[] = actors;
const regionMembers: ActorName[] = ['manager', 'strickenClerk', 'clerk', 'coordinator'];
const foreigners: ActorName[] = ['foreignClerk', 'foreignManager', 'foreignCoordinator'];

interface Probe {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  body?: unknown;
}

type ProbeWorld = World & {
  app: TestApp;
  newClerk(): Promise<TestUser>;
  /** A clerk of the stricken commune whose password the admin has just reset: a recovery to confirm. */
  newRecovery(): Promise<string>;
};

interface Row {
  /** Fresh data for one call: each call gets its own rows, so no call depends on another. */
  probe(w: ProbeWorld): Probe | Promise<Probe>;
  /** Get through to the handler. */
  allowed: readonly ActorName[];
  /** Get 404: the row exists but is not theirs to see. Everyone else gets 403. */
  hidden?: readonly ActorName[];
  /** Anyone may call it: anonymous callers are not refused either. */
  public?: true;
  /** Calls with a session of its own (signing out ends the caller's session). */
  ownSession?: true;
}

const claimed = async (w: World) => {
  const task = await postTask(w.manager);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
  return task;
};
const started = async (w: World) => {
  const task = await claimed(w);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/start`).send({ version: 2 }).expect(200);
  return task;
};
const openIncident = async (w: World) => {
  const list = await w.manager.agent.get('/api/v1/incidents?status=active');
  const open = (list.body.items as { id: string; version: number }[])[0];
  if (open) return open;
  return (await w.manager.agent.post('/api/v1/incidents').send({ kind: 'flood', title: 'Crue' }).expect(201)).body as {
    id: string;
    version: number;
  };
};
const unique = () => crypto.randomBytes(4).toString('hex');
/** The region's running drill, started by its coordinator if none runs. */
const runningDrill = async (w: World) => {
  const list = await w.coordinator.agent.get('/api/v1/drills').expect(200);
  const running = list.body.running as { id: string } | null;
  if (running) return running.id;
  return (await w.coordinator.agent.post('/api/v1/drills').send({ name: 'Exercice', tasks: 1 }).expect(201)).body
    .id as string;
};
const done = async (w: World) => {
  const task = await started(w);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/complete`).send({ version: 3 }).expect(200);
  return task;
};
/** A closed statement of the world's region, on a day of its own (statements may not overlap). */
const closedStatement = async (w: World): Promise<string> => {
  const day = new Date(Date.UTC(2000, 0, 1) + crypto.randomInt(8000) * 86_400_000).toISOString().slice(0, 10);
  const res = await w.coordinator.agent.post('/api/v1/reports/statements').send({ from: day, to: day });
  if (res.status === 201) return res.body.closed.id as string;
  return closedStatement(w);
};
/**
 * A notification of the stricken commune's manager (a claim of their task), once the notifier has it.
 * The claim is released again, so the helper stays below the region's claim cap.
 */
const managersNotification = async (w: World) => {
  const task = await claimed(w);
  await w.clerk.agent.post(`/api/v1/tasks/${task.id}/release`).send({ version: 2, reason: 'Matrice' }).expect(200);
  for (let i = 0; i < 100; i++) {
    const res = await w.manager.agent.get('/api/v1/notifications?limit=100').expect(200);
    const found = (res.body.items as { id: string; taskId: string }[]).find((n) => n.taskId === task.id);
    if (found) return found.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no notification of the claim');
};
/**
 * A webhook of the stricken commune, made by its manager: a documentation address (no DNS), for an
 * event the matrix never causes, so it is never called.
 */
const managersWebhook = async (w: World) =>
  (
    await w.manager.agent
      .post('/api/v1/webhooks')
      .send({ url: 'https://203.0.113.10/hook', events: ['task.reminded'] })
      .expect(201)
  ).body.id as string;
/**
 * A claimed task (by the world's clerk); with `asked`, waiting on the clerk's question. Every probe leaves
 * a claim behind, so the region's cap is raised out of the way first (the matrix is not about it).
 */
const claimedUncapped = async (w: World, asked = false) => {
  await w.coordinator.agent
    .patch(`/api/v1/regions/${w.region.id}/settings`)
    .send({ maxActiveClaimsPerCommune: 10_000 })
    .expect(200);
  const task = await claimed(w);
  if (asked) {
    await w.clerk.agent
      .post(`/api/v1/tasks/${task.id}/questions`)
      .send({ version: 2, text: 'Quelle adresse ?' })
      .expect(200);
  }
  return task;
};
/**
 * A claimed task (by the world's clerk) that the second helper's clerk asked to take over. Every probe
 * leaves a claim behind, so the region's cap is raised out of the way first (the matrix is not about it).
 */
const transferAsked = async (w: World) => {
  await w.coordinator.agent
    .patch(`/api/v1/regions/${w.region.id}/settings`)
    .send({ maxActiveClaimsPerCommune: 10_000 })
    .expect(200);
  const task = await claimed(w);
  const res = await w.clerk2.agent.post(`/api/v1/tasks/${task.id}/transfer-requests`).send({}).expect(201);
  return res.body.id as string;
};
/** A task claimed by the second helper's clerk: the world's clerk may ask for it. */
const claimedBySecondHelper = async (w: World) => {
  const task = await postTask(w.manager);
  await w.clerk2.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
  return task;
};
const webhookKeepers: ActorName[] = ['manager', 'coordinator', 'foreignManager', 'foreignCoordinator'];
/** A capacity offer of the stricken commune, made by its manager, on days of its own (offers may not overlap). */
const managersOffer = async (w: World) => {
  const year = 2200 + crypto.randomInt(700);
  const res = await w.manager.agent
    .post('/api/v1/capacity-offers')
    .send({ taskTypes: ['rdv_passeport'], perDay: 5, from: `${year}-03-01`, to: `${year}-03-02` });
  if (res.status !== 201) return managersOffer(w);
  return res.body.id as string;
};
const offerBody = () => {
  const year = 2200 + crypto.randomInt(700);
  return { taskTypes: ['rdv_permis_conduire'], perDay: 5, from: `${year}-05-01`, to: `${year}-05-01` };
};

const matrix: Record<string, Row> = {
  'POST /auth/login': {
    probe: () => ({
      method: 'post',
      path: '/auth/login',
      body: { username: `nobody.${unique()}`, password: 'wrong-password' },
    }),
    allowed: everyone,
    public: true,
  },
  'POST /auth/access-code': {
    probe: () => ({
      method: 'post',
      path: '/auth/access-code',
      body: { username: `nobody.${unique()}`, code: 'ABCD-EFGH-JKMN', newPassword: 'long-enough-password' },
    }),
    allowed: everyone,
    public: true,
  },
  'POST /auth/logout': {
    probe: () => ({ method: 'post', path: '/auth/logout' }),
    allowed: everyone,
    public: true,
    ownSession: true,
  },
  'GET /me': { probe: () => ({ method: 'get', path: '/me' }), allowed: everyone },
  'POST /auth/second-factor': {
    probe: () => ({ method: 'post', path: '/auth/second-factor', body: { code: '123456' } }),
    allowed: everyone,
    public: true,
  },
  'GET /me/second-factor': { probe: () => ({ method: 'get', path: '/me/second-factor' }), allowed: everyone },
  'POST /me/second-factor/enrolment': {
    probe: () => ({ method: 'post', path: '/me/second-factor/enrolment' }),
    allowed: everyone,
  },
  'POST /me/second-factor/confirm': {
    probe: () => ({ method: 'post', path: '/me/second-factor/confirm', body: { code: '123456' } }),
    allowed: everyone,
  },
  'POST /me/second-factor/disable': {
    probe: () => ({ method: 'post', path: '/me/second-factor/disable', body: { code: '123456' } }),
    allowed: everyone,
  },
  'POST /me/second-factor/recovery-codes': {
    probe: () => ({ method: 'post', path: '/me/second-factor/recovery-codes', body: { code: '123456' } }),
    allowed: everyone,
  },
  'POST /users/:id/second-factor/reset': {
    probe: async (w) => ({ method: 'post', path: `/users/${(await w.newClerk()).id}/second-factor/reset` }),
    allowed: ['admin'],
  },
  'GET /tasks': { probe: () => ({ method: 'get', path: '/tasks' }), allowed: [...regionMembers, ...foreigners] },
  'GET /tasks/counts': {
    probe: () => ({ method: 'get', path: '/tasks/counts' }),
    allowed: [...regionMembers, ...foreigners],
  },
  'GET /tasks/by-code/:code': {
    probe: async (w) => ({ method: 'get', path: `/tasks/by-code/${(await postTask(w.manager)).code}` }),
    allowed: regionMembers,
    hidden: [...foreigners, 'dpo', 'foreignDpo', 'admin'],
  },
  'POST /tasks': {
    probe: () => ({ method: 'post', path: '/tasks', body: taskInput() }),
    // The coordinator gets through to be asked for the commune in incident it posts for.
    allowed: ['manager', 'foreignManager', 'coordinator', 'foreignCoordinator'],
  },
  'GET /tasks/export.csv': {
    probe: () => ({ method: 'get', path: '/tasks/export.csv' }),
    allowed: ['manager', 'coordinator', 'foreignManager', 'foreignCoordinator'],
  },
  'GET /tasks/import-template.csv': {
    probe: () => ({ method: 'get', path: '/tasks/import-template.csv' }),
    allowed: everyone,
  },
  'POST /tasks/bulk': {
    probe: () => ({ method: 'post', path: '/tasks/bulk', body: [taskInput()] }),
    allowed: ['manager', 'foreignManager', 'coordinator', 'foreignCoordinator'],
  },
  'GET /tasks/:id': {
    probe: async (w) => ({ method: 'get', path: `/tasks/${(await postTask(w.manager)).id}` }),
    allowed: regionMembers,
    hidden: [...foreigners, 'dpo', 'foreignDpo', 'admin'],
  },
  'PATCH /tasks/:id': {
    probe: async (w) => ({
      method: 'patch',
      path: `/tasks/${(await postTask(w.manager)).id}`,
      body: { version: 1, title: 'Edited' },
    }),
    allowed: ['manager'],
    hidden: ['foreignManager'],
  },
  'GET /tasks/:id/events': {
    probe: async (w) => ({ method: 'get', path: `/tasks/${(await postTask(w.manager)).id}/events` }),
    allowed: [...regionMembers, 'dpo'],
    hidden: [...foreigners, 'foreignDpo', 'admin'],
  },
  'GET /tasks/:id/citizen-reads': {
    probe: async (w) => ({ method: 'get', path: `/tasks/${(await postTask(w.manager)).id}/citizen-reads` }),
    allowed: ['manager'],
    hidden: ['foreignManager'],
  },
  'POST /tasks/:id/claim': {
    probe: async (w) => ({ method: 'post', path: `/tasks/${(await postTask(w.manager)).id}/claim` }),
    allowed: ['clerk'],
    hidden: ['foreignClerk'],
  },
  'POST /tasks/:id/start': {
    probe: async (w) => ({ method: 'post', path: `/tasks/${(await claimed(w)).id}/start`, body: { version: 2 } }),
    allowed: ['clerk'],
    hidden: ['foreignClerk'],
  },
  'POST /tasks/:id/complete': {
    probe: async (w) => ({ method: 'post', path: `/tasks/${(await started(w)).id}/complete`, body: { version: 3 } }),
    allowed: ['clerk'],
    hidden: ['foreignClerk'],
  },
  'POST /tasks/:id/release': {
    probe: async (w) => ({
      method: 'post',
      path: `/tasks/${(await claimed(w)).id}/release`,
      body: { version: 2, reason: 'Plus le temps' },
    }),
    allowed: ['clerk', 'coordinator'],
    hidden: ['foreignClerk', 'foreignCoordinator'],
  },
  'POST /tasks/:id/cancel': {
    probe: async (w) => ({
      method: 'post',
      path: `/tasks/${(await postTask(w.manager)).id}/cancel`,
      body: { version: 1 },
    }),
    allowed: ['manager'],
    hidden: ['foreignManager'],
  },
  'POST /tasks/:id/reassign': {
    probe: async (w) => ({
      method: 'post',
      path: `/tasks/${(await claimed(w)).id}/reassign`,
      body: { version: 2, communeId: w.helper2.id },
    }),
    allowed: ['coordinator'],
    hidden: ['foreignCoordinator'],
  },
  'POST /tasks/:id/questions': {
    probe: async (w) => ({
      method: 'post',
      path: `/tasks/${(await claimedUncapped(w)).id}/questions`,
      body: { version: 2, text: 'Quelle adresse ?' },
    }),
    // The holder's clerk; the stricken commune's clerk (a clerk, not the holder) gets 403.
    allowed: ['clerk'],
    hidden: ['foreignClerk'],
  },
  'POST /tasks/:id/answers': {
    probe: async (w) => ({
      method: 'post',
      path: `/tasks/${(await claimedUncapped(w, true)).id}/answers`,
      body: { version: 3, text: 'Rue Haute 5' },
    }),
    allowed: ['manager'],
    hidden: ['foreignManager'],
  },
  'PATCH /tasks/:id/time': {
    probe: async (w) => ({
      method: 'patch',
      path: `/tasks/${(await done(w)).id}/time`,
      body: { version: 4, minutesSpent: 25 },
    }),
    allowed: ['clerk'],
    hidden: ['foreignClerk'],
  },
  'POST /tasks/:id/transfer-requests': {
    probe: async (w) => ({
      method: 'post',
      path: `/tasks/${(await claimedBySecondHelper(w)).id}/transfer-requests`,
      body: {},
    }),
    // The coordinator gets through to be asked for the commune the task should go to.
    allowed: ['clerk', 'coordinator'],
    hidden: ['foreignClerk', 'foreignCoordinator'],
  },
  'GET /transfer-requests': {
    probe: () => ({ method: 'get', path: '/transfer-requests' }),
    allowed: [...regionMembers, ...foreigners],
  },
  'GET /transfer-requests/:id': {
    probe: async (w) => ({ method: 'get', path: `/transfer-requests/${await transferAsked(w)}` }),
    allowed: regionMembers,
    hidden: foreigners,
  },
  'POST /transfer-requests/:id/accept': {
    probe: async (w) => ({ method: 'post', path: `/transfer-requests/${await transferAsked(w)}/accept`, body: {} }),
    allowed: ['clerk'],
    hidden: ['foreignClerk', 'foreignManager'],
  },
  'POST /transfer-requests/:id/decline': {
    probe: async (w) => ({ method: 'post', path: `/transfer-requests/${await transferAsked(w)}/decline`, body: {} }),
    allowed: ['clerk'],
    hidden: ['foreignClerk', 'foreignManager'],
  },
  'GET /tasks/suggested': {
    probe: () => ({ method: 'get', path: '/tasks/suggested' }),
    allowed: ['manager', 'strickenClerk', 'clerk', 'foreignClerk', 'foreignManager'],
  },
  'POST /capacity-offers': {
    probe: () => ({ method: 'post', path: '/capacity-offers', body: offerBody() }),
    allowed: ['manager', 'foreignManager'],
  },
  'GET /capacity-offers': {
    probe: () => ({ method: 'get', path: '/capacity-offers' }),
    allowed: [...regionMembers, ...foreigners],
  },
  'GET /capacity-offers/:id': {
    probe: async (w) => ({ method: 'get', path: `/capacity-offers/${await managersOffer(w)}` }),
    allowed: regionMembers,
    hidden: foreigners,
  },
  'PATCH /capacity-offers/:id': {
    probe: async (w) => ({ method: 'patch', path: `/capacity-offers/${await managersOffer(w)}`, body: { perDay: 6 } }),
    allowed: ['manager'],
    hidden: ['foreignManager'],
  },
  'DELETE /capacity-offers/:id': {
    probe: async (w) => ({ method: 'delete', path: `/capacity-offers/${await managersOffer(w)}` }),
    allowed: ['manager', 'coordinator'],
    hidden: ['foreignManager', 'foreignCoordinator'],
  },
  'GET /regions': { probe: () => ({ method: 'get', path: '/regions' }), allowed: everyone },
  'POST /regions': {
    probe: () => ({ method: 'post', path: '/regions', body: { name: `Region ${unique()}` } }),
    allowed: ['admin'],
  },
  'PATCH /regions/:id': {
    probe: async (w) => ({
      method: 'patch',
      path: `/regions/${(await makeRegion(w.app)).id}`,
      body: { name: `Region ${unique()}` },
    }),
    allowed: ['admin'],
  },
  'GET /communes': {
    // Filtered by a region: its own people and the admin see it, another region's do not.
    probe: (w) => ({ method: 'get', path: `/communes?regionId=${w.region.id}` }),
    allowed: [...regionMembers, 'dpo', 'admin'],
    hidden: [...foreigners, 'foreignDpo'],
  },
  'PATCH /communes/:id': {
    probe: async (w) => ({
      method: 'patch',
      path: `/communes/${(await makeCommune(w.app, w.region.id)).id}`,
      body: { name: `Commune ${unique()}`, latitude: 50.5 },
    }),
    allowed: ['admin'],
  },
  'POST /communes': {
    probe: (w) => ({
      method: 'post',
      path: '/communes',
      body: {
        name: `Commune ${unique()}`,
        code: String(10000 + crypto.randomInt(89999)),
        regionId: w.region.id,
        latitude: 50.6,
        longitude: 5.5,
      },
    }),
    allowed: ['admin'],
  },
  'GET /communes/load': {
    probe: () => ({ method: 'get', path: '/communes/load' }),
    allowed: [...regionMembers, ...foreigners],
  },
  'GET /communes/:id/load': {
    probe: (w) => ({ method: 'get', path: `/communes/${w.helper.id}/load` }),
    allowed: regionMembers,
    hidden: [...foreigners, 'dpo', 'foreignDpo', 'admin'],
  },
  'GET /communes/:id/burndown': {
    probe: (w) => ({ method: 'get', path: `/communes/${w.stricken.id}/burndown?hours=24` }),
    allowed: regionMembers,
    hidden: [...foreigners, 'dpo', 'foreignDpo', 'admin'],
  },
  'GET /communes/:id/journal': {
    // A period long past: the answer holds no entry, so no citizen either (the journal's own tests read them).
    probe: (w) => ({ method: 'get', path: `/communes/${w.stricken.id}/journal?from=2000-01-01&to=2000-01-31` }),
    allowed: ['manager', 'coordinator'],
    hidden: ['foreignManager', 'foreignCoordinator'],
  },
  'POST /run-sheets': {
    probe: async (w) => ({ method: 'post', path: '/run-sheets', body: { taskIds: [(await postTask(w.manager)).id] } }),
    // An open task: on its requesting commune's manager's sheet only (a holder's sheet: run-sheets.test.ts).
    allowed: ['manager'],
    hidden: ['foreignClerk', 'foreignManager'],
  },
  'POST /run-sheets/reconcile': {
    probe: async (w) => ({
      method: 'post',
      path: '/run-sheets/reconcile',
      body: { lines: [{ code: (await postTask(w.manager)).code, outcome: 'not_done' }] },
    }),
    // Clerks get through: a task their commune does not hold is refused line by line, another region's
    // code is unknown (400): nothing tells them it exists.
    allowed: ['strickenClerk', 'clerk', 'foreignClerk'],
  },
  'GET /task-types': { probe: () => ({ method: 'get', path: '/task-types' }), allowed: everyone },
  'POST /task-types': {
    probe: () => ({
      method: 'post',
      path: '/task-types',
      body: { key: `type_${unique()}`, labelFr: 'Type', labelEn: 'Type', category: 'other', slaHours: 24 },
    }),
    allowed: ['admin'],
  },
  'PATCH /task-types/:key': {
    probe: () => ({ method: 'patch', path: '/task-types/certificat_residence', body: { slaHours: 48 } }),
    allowed: ['admin'],
  },
  'GET /incidents': { probe: () => ({ method: 'get', path: '/incidents' }), allowed: everyone },
  'POST /incidents': {
    probe: (w) => ({
      method: 'post',
      path: '/incidents',
      body: { communeId: w.stricken.id, kind: 'flood', title: 'Crue' },
    }),
    allowed: ['manager', 'coordinator'],
    hidden: ['foreignManager', 'foreignCoordinator'],
  },
  'PATCH /incidents/:id': {
    probe: async (w) => ({
      method: 'patch',
      path: `/incidents/${(await openIncident(w)).id}`,
      body: { title: 'Crue de la Meuse' },
    }),
    allowed: ['manager', 'coordinator'],
    hidden: ['foreignManager', 'foreignCoordinator'],
  },
  'GET /changes': {
    probe: () => ({ method: 'get', path: '/changes?since=0' }),
    allowed: [...regionMembers, ...foreigners],
  },
  'GET /users': {
    probe: (w) => ({ method: 'get', path: `/users?active=true&regionId=${w.region.id}` }),
    allowed: ['coordinator', 'foreignCoordinator', 'admin'],
  },
  'POST /users': {
    probe: (w) => ({
      method: 'post',
      path: '/users',
      body: {
        username: `clerk.${unique()}`,
        displayName: 'Agent',
        role: 'clerk',
        password: 'long-enough-password',
        communeId: w.helper.id,
      },
    }),
    allowed: ['admin'],
  },
  'PATCH /users/:id': {
    probe: async (w) => ({
      method: 'patch',
      path: `/users/${(await w.newClerk()).id}`,
      body: { displayName: 'Renamed' },
    }),
    allowed: ['admin'],
  },
  'POST /users/:id/password-reset': {
    probe: async (w) => ({ method: 'post', path: `/users/${(await w.newClerk()).id}/password-reset` }),
    allowed: ['admin'],
  },
  'POST /users/:id/access-codes': {
    probe: async (w) => ({ method: 'post', path: `/users/${(await w.newClerk()).id}/access-codes` }),
    allowed: ['coordinator', 'admin'],
    hidden: ['foreignCoordinator'],
  },
  'GET /recoveries': {
    probe: () => ({ method: 'get', path: '/recoveries' }),
    allowed: ['manager', 'foreignManager', 'dpo', 'foreignDpo'],
  },
  'POST /recoveries/:id/confirm': {
    probe: async (w) => ({ method: 'post', path: `/recoveries/${await w.newRecovery()}/confirm` }),
    allowed: ['manager', 'dpo'],
    hidden: ['foreignManager', 'foreignDpo'],
  },
  'GET /audit': { probe: () => ({ method: 'get', path: '/audit' }), allowed: ['dpo', 'foreignDpo'] },
  'GET /audit/export.csv': {
    probe: () => ({ method: 'get', path: '/audit/export.csv' }),
    allowed: ['dpo', 'foreignDpo'],
  },
  'GET /audit/verify': {
    probe: () => ({ method: 'get', path: '/audit/verify' }),
    allowed: ['dpo', 'foreignDpo', 'admin'],
  },
  'GET /regions/:id/data-protection': {
    probe: (w) => ({ method: 'get', path: `/regions/${w.region.id}/data-protection` }),
    allowed: ['dpo'],
    hidden: ['foreignDpo'],
  },
  'PATCH /regions/:id/data-protection': {
    probe: (w) => ({
      method: 'patch',
      path: `/regions/${w.region.id}/data-protection`,
      body: { citizenRetentionDays: 40 },
    }),
    allowed: ['dpo'],
    hidden: ['foreignDpo'],
  },
  'GET /reports/rate': {
    probe: () => ({ method: 'get', path: '/reports/rate' }),
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'PUT /reports/rate': {
    probe: () => ({ method: 'put', path: '/reports/rate', body: { hourlyRateCents: 4500 } }),
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'GET /reports/statement': {
    probe: () => ({ method: 'get', path: '/reports/statement?from=2026-01-01&to=2026-01-31' }),
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'GET /reports/statements': {
    probe: () => ({ method: 'get', path: '/reports/statements' }),
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'POST /reports/statements': {
    probe: () => ({ method: 'post', path: '/reports/statements', body: { from: '1999-01-01', to: '1999-01-31' } }),
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'GET /reports/statements/:id': {
    probe: async (w) => ({ method: 'get', path: `/reports/statements/${await closedStatement(w)}` }),
    allowed: ['coordinator'],
    hidden: ['foreignCoordinator'],
  },
  'GET /reports/daily': {
    probe: () => ({ method: 'get', path: '/reports/daily' }),
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'POST /integrations/tokens': {
    probe: () => ({ method: 'post', path: '/integrations/tokens', body: { name: `Portail ${unique()}` } }),
    allowed: ['manager', 'foreignManager', 'admin'],
  },
  'GET /integrations/tokens': {
    probe: () => ({ method: 'get', path: '/integrations/tokens' }),
    allowed: ['manager', 'foreignManager', 'admin'],
  },
  'POST /integrations/tokens/:id/revoke': {
    probe: async (w) => {
      const token = await w.manager.agent.post('/api/v1/integrations/tokens').send({ name: 'Portail' }).expect(201);
      return { method: 'post', path: `/integrations/tokens/${token.body.id as string}/revoke` };
    },
    allowed: ['manager', 'admin'],
    hidden: ['foreignManager'],
  },
  'GET /public/track/:trackingCode': {
    probe: async (w) => {
      const task = await w.manager.agent.post('/api/v1/tasks').send(taskInput()).expect(201);
      return { method: 'get', path: `/public/track/${task.body.trackingCode as string}` };
    },
    allowed: everyone,
    public: true,
  },
  'GET /communes/:id/appointments-link': {
    probe: (w) => ({ method: 'get', path: `/communes/${w.stricken.id}/appointments-link` }),
    allowed: ['manager', 'strickenClerk'],
    hidden: ['clerk', 'foreignClerk', 'foreignManager'],
  },
  'POST /communes/:id/appointments-link': {
    probe: (w) => ({ method: 'post', path: `/communes/${w.stricken.id}/appointments-link` }),
    allowed: ['manager'],
    hidden: ['foreignManager'],
  },
  'GET /communes/:id/appointments.ics': {
    // The link's own key: with it, anyone reaches the feed (a wrong key is the feed's own test).
    probe: async (w) => {
      const link = await w.clerk.agent.get(`/api/v1/communes/${w.helper.id}/appointments-link`).expect(200);
      return { method: 'get', path: (link.body.path as string).replace('/api/v1', '') };
    },
    allowed: everyone,
    public: true,
  },
  'GET /regions/:id/settings': {
    probe: (w) => ({ method: 'get', path: `/regions/${w.region.id}/settings` }),
    allowed: regionMembers,
    hidden: foreigners,
  },
  'PATCH /regions/:id/settings': {
    probe: (w) => ({ method: 'patch', path: `/regions/${w.region.id}/settings`, body: { remindAfterHours: 6 } }),
    allowed: ['coordinator'],
    hidden: ['foreignCoordinator'],
  },
  'GET /notifications': { probe: () => ({ method: 'get', path: '/notifications?unread=true' }), allowed: everyone },
  'GET /notifications/unread-count': {
    probe: () => ({ method: 'get', path: '/notifications/unread-count' }),
    allowed: everyone,
  },
  'POST /notifications/read-all': {
    probe: () => ({ method: 'post', path: '/notifications/read-all' }),
    allowed: everyone,
  },
  'POST /notifications/:id/read': {
    probe: async (w) => ({ method: 'post', path: `/notifications/${await managersNotification(w)}/read` }),
    allowed: ['manager'],
    hidden: actors.filter((a) => a !== 'manager'),
  },
  'PATCH /me': { probe: () => ({ method: 'patch', path: '/me', body: { locale: 'fr' } }), allowed: everyone },
  'POST /webhooks': {
    probe: () => ({
      method: 'post',
      path: '/webhooks',
      body: { url: 'https://203.0.113.10/hook', events: ['task.reminded'] },
    }),
    allowed: webhookKeepers,
  },
  'GET /webhooks': { probe: () => ({ method: 'get', path: '/webhooks' }), allowed: webhookKeepers },
  'DELETE /webhooks/:id': {
    probe: async (w) => ({ method: 'delete', path: `/webhooks/${await managersWebhook(w)}` }),
    allowed: ['manager'],
    hidden: ['coordinator', 'foreignManager', 'foreignCoordinator'],
  },
  'POST /drills': {
    probe: () => ({ method: 'post', path: '/drills', body: { name: 'Exercice', tasks: 1 } }),
    // Each coordinator starts one in their own region (or is told one runs already).
    allowed: ['coordinator', 'foreignCoordinator'],
  },
  'GET /drills': { probe: () => ({ method: 'get', path: '/drills' }), allowed: [...regionMembers, ...foreigners] },
  'GET /drills/:id': {
    probe: async (w) => ({ method: 'get', path: `/drills/${await runningDrill(w)}` }),
    allowed: regionMembers,
    hidden: foreigners,
  },
  'POST /drills/:id/end': {
    probe: async (w) => ({ method: 'post', path: `/drills/${await runningDrill(w)}/end`, body: {} }),
    allowed: ['coordinator'],
    hidden: ['foreignCoordinator'],
  },
  'GET /webhooks/:id/deliveries': {
    probe: async (w) => ({ method: 'get', path: `/webhooks/${await managersWebhook(w)}/deliveries` }),
    allowed: ['manager'],
    hidden: ['coordinator', 'foreignManager', 'foreignCoordinator'],
  },
};

/** The endpoints whose answer to the probe carries one citizen, and to whom. */
const citizenCarriers: Record<string, readonly ActorName[]> = {
  'GET /tasks/:id': ['manager', 'strickenClerk'],
  'GET /tasks/by-code/:code': ['manager', 'strickenClerk'],
  'POST /run-sheets': ['manager'],
};

const signInRefusals = ['Please sign in first.', 'Your session has expired. Please sign in again.'];

/** The keys of citizen data, wherever they are in a JSON answer. */
function citizenKeys(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + citizenKeys(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((n, [k, v]) => n + (k === 'citizen' ? 1 : 0) + citizenKeys(v), 0);
}

async function call(agent: request.Agent, probe: Probe) {
  const url = `/api/v1${probe.path}`;
  const req = probe.method === 'get' ? agent.get(url) : agent[probe.method](url).send(probe.body ?? {});
  return req;
}

describe.each(drivers)('authorization matrix on %s', (driver) => {
  const t = useWorld(driver);

  it('has a row for every declared endpoint, and none for an endpoint that does not exist', () => {
    const declared = endpoints.map((e) => `${e.method.toUpperCase()} ${e.path}`).sort();
    expect(Object.keys(matrix).sort()).toEqual(declared);
  });

  it.each(Object.keys(matrix))('%s: 401, 403 and 404 to exactly those it should refuse', async (endpoint) => {
    const row = matrix[endpoint] as Row;
    const newClerk = () => makeUser(t.app, 'clerk', { communeId: t.w.stricken.id });
    const newRecovery = async () => {
      const clerk = await newClerk();
      await t.w.admin.agent.patch(`/api/v1/users/${clerk.id}`).send({ password: 'a-new-long-password' }).expect(200);
      const [row] = await t.app.running.database.db
        .select({ id: accountRecoveries.id })
        .from(accountRecoveries)
        .where(eq(accountRecoveries.userId, clerk.id));
      if (!row) throw new Error('no recovery recorded');
      return row.id;
    };
    const w: ProbeWorld = { ...t.w, app: t.app, newClerk, newRecovery };
    const anonymous = await call(t.app.anonymous(), await row.probe(w));
    if (row.public) expect(signInRefusals).not.toContain(anonymous.body.detail);
    else
      expect({ status: anonymous.status, detail: anonymous.body.detail }).toEqual({
        status: 401,
        detail: 'Please sign in first.',
      });

    for (const name of actors) {
      const known = t.w[name];
      const user = row.ownSession
        ? await makeUser(t.app, known.role, {
            communeId: known.communeId ?? undefined,
            regionId: known.regionId ?? undefined,
          })
        : known;
      const res = await call(user.agent, await row.probe(w));
      const expected = row.allowed.includes(name) ? 'allowed' : row.hidden?.includes(name) ? 404 : 403;
      const refused = [401, 403, 404].includes(res.status) && !(row.public && res.status === 401);
      expect({ actor: name, got: refused ? res.status : 'allowed', detail: res.body.detail }).toMatchObject({
        actor: name,
        got: expected,
      });
      // Citizen data only ever comes with a single task (or a run-sheet), to its requesting commune (or the holder's).
      const carries = citizenCarriers[endpoint]?.includes(name) ? 1 : 0;
      expect({ actor: name, citizen: citizenKeys(res.body) }).toEqual({ actor: name, citizen: carries });
    }
  });
});
