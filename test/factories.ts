import crypto from 'node:crypto';
import request from 'supertest';
import type { Role, TaskCreateInput } from '../shared/schemas';
import { hashPassword } from '../server/resources/auth/passwords';
import { insertCommune, insertRegion } from '../server/resources/communes/communes-repo';
import { insertUser } from '../server/resources/accounts/accounts-repo';
import type { TestApp } from './helpers/test-app';

export const PASSWORD = 'correct-horse-battery-staple';
let passwordHash: Promise<string> | undefined;
const unique = () => crypto.randomBytes(4).toString('hex');

export async function makeRegion(app: TestApp, name = `Region ${unique()}`) {
  const region = await insertRegion(app.running.database.db, name);
  if (!region) throw new Error('region not created');
  return region;
}

/** A commune, in a new region unless one is given. */
export async function makeCommune(app: TestApp, regionId?: string, name = `Commune ${unique()}`) {
  const region = regionId ?? (await makeRegion(app)).id;
  const code = String(10000 + crypto.randomInt(89999));
  const commune = await insertCommune(app.running.database.db, {
    name,
    code,
    regionId: region,
    latitude: 50.6,
    longitude: 5.5,
  });
  if (!commune) throw new Error('commune not created');
  return commune;
}

export interface TestUser {
  id: string;
  username: string;
  role: Role;
  communeId: string | null;
  regionId: string | null;
  /** A client signed in as this user. */
  agent: request.Agent;
  /** That client's session cookie, for a socket. */
  cookie: string;
}

export async function makeUser(
  app: TestApp,
  role: Role,
  scope: { communeId?: string; regionId?: string } = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(PASSWORD);
  const username = `${role}.${unique()}`;
  const row = await insertUser(app.running.database.db, {
    username,
    displayName: `${role} ${username}`,
    role,
    communeId: scope.communeId ?? null,
    regionId: scope.regionId ?? null,
    passwordHash: await passwordHash,
  });
  const agent = request.agent(app.url);
  const res = await agent.post('/api/v1/auth/login').send({ username, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login failed for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  return { id: row.id, username, role, communeId: row.communeId, regionId: row.regionId, agent, cookie };
}

/**
 * A new account of `role` whose password `admin` reset, signed in with it: a recovery no second
 * person has confirmed yet, so the account reaches no citizen data (docs/decisions.md).
 */
export async function recoveredUser(
  app: TestApp,
  admin: TestUser,
  role: Role,
  scope: { communeId?: string; regionId?: string },
): Promise<TestUser> {
  const user = await makeUser(app, role, scope);
  const password = 'a-brand-new-passphrase';
  await admin.agent.patch(`/api/v1/users/${user.id}`).send({ password }).expect(200);
  const agent = request.agent(app.url);
  const res = await agent.post('/api/v1/auth/login').send({ username: user.username, password }).expect(200);
  return { ...user, agent, cookie: String(res.headers['set-cookie']).split(';')[0] ?? '' };
}

/**
 * A region with a stricken commune (its manager and clerk), two helping communes with a clerk each,
 * a coordinator and a DPO, and a second region with its own clerk, manager, coordinator and DPO.
 */
export async function makeWorld(app: TestApp) {
  const region = await makeRegion(app);
  const stricken = await makeCommune(app, region.id, `Stricken ${unique()}`);
  const helper = await makeCommune(app, region.id, `Helper ${unique()}`);
  const helper2 = await makeCommune(app, region.id, `Helper2 ${unique()}`);
  const otherRegion = await makeRegion(app);
  const faraway = await makeCommune(app, otherRegion.id, `Faraway ${unique()}`);
  const [
    manager,
    strickenClerk,
    clerk,
    clerk2,
    coordinator,
    foreignClerk,
    foreignManager,
    foreignCoordinator,
    admin,
    dpo,
    foreignDpo,
  ] = await Promise.all([
    makeUser(app, 'manager', { communeId: stricken.id }),
    makeUser(app, 'clerk', { communeId: stricken.id }),
    makeUser(app, 'clerk', { communeId: helper.id }),
    makeUser(app, 'clerk', { communeId: helper2.id }),
    makeUser(app, 'coordinator', { regionId: region.id }),
    makeUser(app, 'clerk', { communeId: faraway.id }),
    makeUser(app, 'manager', { communeId: faraway.id }),
    makeUser(app, 'coordinator', { regionId: otherRegion.id }),
    makeUser(app, 'admin'),
    makeUser(app, 'dpo', { regionId: region.id }),
    makeUser(app, 'dpo', { regionId: otherRegion.id }),
  ]);
  return {
    region,
    stricken,
    helper,
    helper2,
    otherRegion,
    faraway,
    manager,
    strickenClerk,
    clerk,
    clerk2,
    coordinator,
    foreignClerk,
    foreignManager,
    foreignCoordinator,
    admin,
    dpo,
    foreignDpo,
  };
}
export type World = Awaited<ReturnType<typeof makeWorld>>;

/** The slot an appointment type needs (`rdv_…`), two days from now, unless the test gives its own. */
const appointmentSlot = (type: string | undefined) =>
  type?.startsWith('rdv_')
    ? { slot: { start: new Date(Date.now() + 2 * 86_400_000).toISOString(), durationMinutes: 30, place: 'Guichet 1' } }
    : {};

export function taskInput(overrides: Partial<TaskCreateInput> = {}): TaskCreateInput {
  return {
    ...appointmentSlot(overrides.type),
    type: 'certificat_residence',
    title: `Certificat ${unique()}`,
    details: 'Pour la mutuelle',
    priority: 'normal',
    deliveryMode: 'pickup_helper',
    citizen: { fullName: 'Jeanne Dupont', nationalNumber: '85.07.30-033.28', birthDate: '1985-07-30' },
    ...overrides,
  };
}

/** Posts a task as the manager and returns it. */
export async function postTask(manager: TestUser, overrides: Partial<TaskCreateInput> = {}) {
  const res = await manager.agent.post('/api/v1/tasks').send(taskInput(overrides));
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string; version: number; status: string };
}
