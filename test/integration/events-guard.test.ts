import { sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../server/db/client';
import { postTask } from '../factories';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

/** The columns the sequencer sets when it numbers an event (server/db/events.ts). */
const SEQUENCER_COLUMNS = ['seq', 'region_prev_seq', 'prev_hash', 'hash', 'chain_hash'];

/** The rows of `db.execute`, as both drivers give them. */
const rows = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** The reason PostgreSQL gave, through Drizzle's wrapping. */
function reasonOf(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) parts.push(e.message);
  return parts.join(' / ');
}

/** Runs `statement` in a savepoint and tells whether the guard refused it (anything else fails the test). */
async function refused(tx: Tx, statement: ReturnType<typeof sql>): Promise<boolean> {
  try {
    await tx.transaction(async (inner) => {
      await inner.execute(statement);
    });
    return false;
  } catch (err) {
    expect(reasonOf(err)).toMatch(/events is append-only: (UPDATE|DELETE) refused/);
    return true;
  }
}

/** Every column of the events table, as the database has it. */
async function eventsColumns(db: Executor): Promise<string[]> {
  const result = await db.execute(sql`select column_name as name from information_schema.columns
    where table_schema = current_schema() and table_name = 'events'`);
  return rows<{ name: string }>(result).map((r) => r.name);
}

class RolledBack extends Error {}

describe.each(drivers)('the events table guards itself on %s', (driver) => {
  const t = useWorld(driver);

  it('lists every column but the sequencer’s in the trigger that refuses an UPDATE naming them', async () => {
    const db = t.app.running.database.db;
    const table = await eventsColumns(db);
    const guarded = rows<{ name: string }>(
      await db.execute(sql`select a.attname as name from pg_trigger g
        join pg_attribute a on a.attrelid = g.tgrelid and a.attnum = any(g.tgattr::int2[])
        where g.tgname = 'events_append_only' and g.tgrelid = 'events'::regclass`),
    ).map((r) => r.name);
    expect(SEQUENCER_COLUMNS.every((c) => table.includes(c))).toBe(true);
    expect(guarded.sort()).toEqual(table.filter((c) => !SEQUENCER_COLUMNS.includes(c)).sort());
  });

  it('lets the sequencer number a real event once, never a drill’s, and refuses every other change or deletion', async () => {
    await postTask(t.w.manager);
    const db = t.app.running.database.db;
    const columns = (await eventsColumns(db)).filter((c) => !SEQUENCER_COLUMNS.includes(c));
    const outcomes: Record<string, boolean> = {};
    // In a transaction that is rolled back: the event never reaches the sequencer, nor anyone else.
    await expect(
      db.transaction(async (tx) => {
        const [copy] = rows<{ id: number }>(
          await tx.execute(sql`insert into events (task_id, region_id, type, action, actor_user_id, actor_commune_id,
              from_status, to_status, note, snapshot, created_at)
            select task_id, region_id, type, action, actor_user_id, actor_commune_id, from_status, to_status, note,
              snapshot, created_at from events where task_id is not null order by id limit 1
            returning id`),
        );
        const id = Number(copy?.id);
        expect(id).toBeGreaterThan(0);
        const where = sql`where id = ${id}`;
        // Not yet numbered: numbering it while naming any other column is refused, even to write the
        // same value there.
        for (const column of columns) {
          outcomes[column] = await refused(
            tx,
            sql`update events set seq = 9000000000, ${sql.identifier(column)} = ${sql.identifier(column)} ${where}`,
          );
        }
        outcomes['hash without a number'] = await refused(tx, sql`update events set hash = 'x' ${where}`);
        outcomes['delete unnumbered'] = await refused(tx, sql`delete from events ${where}`);
        // The sequencer's numbering goes through, once.
        outcomes['numbering'] = await refused(
          tx,
          sql`update events set seq = 9000000000, region_prev_seq = null, prev_hash = 'p', hash = 'h',
            chain_hash = 'c' ${where}`,
        );
        outcomes['numbering again'] = await refused(tx, sql`update events set seq = 9000000001 ${where}`);
        outcomes['rehash'] = await refused(tx, sql`update events set hash = 'h2' ${where}`);
        outcomes['delete numbered'] = await refused(tx, sql`delete from events ${where}`);
        // A drill's event is never numbered, and its drill's end deletes it (docs/drills.md).
        const [drill] = rows<{ id: string }>(
          await tx.execute(sql`insert into drills (region_id, name, tasks_posted, duration_minutes, started_at)
            select region_id, 'Guard', 0, 60, now() from events where id = ${id} returning id`),
        );
        const [drillEvent] = rows<{ id: number }>(
          await tx.execute(sql`insert into events (task_id, region_id, type, action, to_status, snapshot, drill_id, created_at)
            select task_id, region_id, type, action, to_status, snapshot, ${drill?.id}::uuid, now() from events where id = ${id}
            returning id`),
        );
        const drillWhere = sql`where id = ${Number(drillEvent?.id)}`;
        outcomes['numbering a drill event'] = await refused(tx, sql`update events set seq = 9000000002 ${drillWhere}`);
        outcomes['deleting a drill event'] = await refused(tx, sql`delete from events ${drillWhere}`);
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);

    const expected: Record<string, boolean> = Object.fromEntries(columns.map((c) => [c, true]));
    Object.assign(expected, {
      'hash without a number': true,
      'delete unnumbered': true,
      numbering: false,
      'numbering again': true,
      rehash: true,
      'delete numbered': true,
      'numbering a drill event': true,
      'deleting a drill event': false,
    });
    expect(outcomes).toEqual(expected);
  });
});
