import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Actor } from '../core/actor';
import type { DomainContext } from '../context';
import { transaction, type Database } from '../db/client';
import { insertUser } from '../resources/accounts/accounts-repo';
import { hashPassword } from '../resources/auth/passwords';
import { insertCommune, insertRegion, isDatabaseEmpty } from '../resources/communes/communes-repo';
import { declareIncident } from '../resources/incidents/incidents';
import { insertTaskType } from '../resources/task-types/task-types-repo';
import { createTasks } from '../resources/tasks/task-posting';
import { communeSlug, demoRegions, demoTasks, taskTypes } from './demo-data';
import { legalBases } from './legal-bases';

/** Task types every installation needs, demo or not; adding them again changes nothing. */
export async function seedTaskTypes(database: Database): Promise<void> {
  for (const type of taskTypes) {
    const basis = legalBases[type.key];
    await insertTaskType(database.db, { ...type, legalBasisFr: basis?.fr ?? '', legalBasisEn: basis?.en ?? '' });
  }
}

/**
 * Fills an empty database with the demo. Never touches a database that has data. Returns the
 * password of the demo accounts when it seeded, so that the caller can print it once.
 */
export async function seedDemo(
  database: Database,
  ctx: DomainContext,
  log: Logger,
  password?: string,
): Promise<string | undefined> {
  if (!(await isDatabaseEmpty(database.db))) return undefined;
  const demoPassword = password ?? crypto.randomBytes(9).toString('base64url');
  // One hash for every demo account: they share the password by design, and start-up stays fast.
  const passwordHash = await hashPassword(demoPassword);
  let liegeManager: Actor | undefined;
  // Regions, communes and accounts all at once: a start that dies half-way leaves an empty database,
  // which the next start seeds again.
  await transaction(database.db, async (tx) => {
    for (const region of demoRegions) {
      const r = await insertRegion(tx, region.name);
      if (!r) continue;
      await insertUser(tx, {
        username: region.coordinator,
        displayName: `Coordination — ${region.name}`,
        role: 'coordinator',
        regionId: r.id,
        passwordHash,
      });
      await insertUser(tx, {
        username: region.dpo,
        displayName: `Délégué à la protection des données — ${region.name}`,
        role: 'dpo',
        regionId: r.id,
        passwordHash,
      });
      for (const commune of region.communes) {
        const c = await insertCommune(tx, { ...commune, regionId: r.id });
        if (!c) continue;
        const slug = communeSlug(commune.name);
        const manager = await insertUser(tx, {
          username: `${slug}.manager`,
          displayName: `Gestionnaire — ${commune.name}`,
          role: 'manager',
          communeId: c.id,
          passwordHash,
        });
        await insertUser(tx, {
          username: `${slug}.clerk`,
          displayName: `Agent — ${commune.name}`,
          role: 'clerk',
          communeId: c.id,
          passwordHash,
        });
        if (slug === 'liege') {
          liegeManager = {
            id: manager.id,
            username: manager.username,
            displayName: manager.displayName,
            role: 'manager',
            active: true,
            communeId: c.id,
            communeName: c.name,
            regionId: r.id,
            regionName: r.name,
            citizenBarred: false,
            secondFactorEnabled: false,
          };
        }
      }
    }
    await insertUser(tx, { username: 'admin', displayName: 'Administration Entraide', role: 'admin', passwordHash });
  });
  if (liegeManager) {
    const incident = await declareIncident(ctx, liegeManager, {
      kind: 'cyberattack',
      title: 'Attaque par rançongiciel : postes éteints',
      affectedServices: ['population', 'etat_civil', 'urbanisme'],
    });
    const now = Date.now();
    await createTasks(
      ctx,
      liegeManager,
      demoTasks.map((t, i) => ({
        row: i + 1,
        input: {
          type: t.type,
          title: t.title,
          details: '',
          priority: t.priority,
          deliveryMode: 'pickup_helper',
          dueAt: new Date(now + t.hours * 3_600_000).toISOString(),
          incidentId: incident.id,
          citizen: { fullName: t.citizen },
          // An appointment's slot: half an hour, an hour before it is due.
          ...('slotPlace' in t
            ? {
                slot: {
                  start: new Date(now + (t.hours - 1) * 3_600_000).toISOString(),
                  durationMinutes: 30,
                  place: t.slotPlace,
                },
              }
            : {}),
        },
      })),
      { batch: true },
    );
  }
  log.info('demo data seeded');
  return demoPassword;
}
