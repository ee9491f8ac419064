import { eq, sql } from 'drizzle-orm';
import { postTask } from '../../test/factories';
import { drivers } from '../../test/helpers/test-app';
import { useWorld } from '../../test/helpers/use-test-app';
import type { Executor } from './client';
import { withCompiledRows } from './compiled-rows';
import { events, tasks } from './schema';

/**
 * Statements of the shapes the hot path prepares: a table's columns (timestamps, integers, jsonb,
 * enums, nulls), a CTE's columns, and computed fields with their own decoders.
 */
function statements(db: Executor, name: string) {
  const changed = db.$with('changed').as(db.select().from(tasks));
  return {
    table: db.select().from(tasks).orderBy(tasks.id).prepare(`${name}_table`),
    cte: db
      .with(changed)
      .select({
        id: changed.id,
        dueAt: changed.dueAt,
        claimedAt: changed.claimedAt,
        version: changed.version,
        n: sql<number>`row_number() over (order by ${changed.id})::int`.as('n'),
        late: sql<boolean>`${changed.dueAt} < now()`.as('late'),
        at: sql<Date>`${changed.createdAt}`.mapWith(tasks.createdAt).as('at'),
        none: sql<string | null>`null::text`.as('none'),
      })
      .from(changed)
      .orderBy(changed.id)
      .prepare(`${name}_cte`),
    events: db
      .select()
      .from(events)
      .where(eq(events.action, sql.placeholder('action')))
      .prepare(`${name}_events`),
  };
}

describe.each(drivers)('rows mapped by withCompiledRows on %s', (driver) => {
  const t = useWorld(driver);

  it('are the rows drizzle maps itself, and the compiled mapper is the one that runs', async () => {
    const first = await postTask(t.w.manager);
    await postTask(t.w.manager, { priority: 'urgent' });
    await t.w.clerk.agent.post(`/api/v1/tasks/${first.id}/claim`).expect(200);
    const db = t.app.running.database.db;
    const plain = statements(db, 'plain_rows');
    const compiled = statements(db, 'compiled_rows');
    let mapped = 0;
    for (const statement of Object.values(compiled)) {
      withCompiledRows(statement);
      const target = statement as unknown as { customResultMapper?: (rows: unknown[][]) => unknown };
      const mapper = target.customResultMapper;
      expect(typeof mapper).toBe('function');
      target.customResultMapper = (rows) => {
        mapped++;
        return mapper?.(rows);
      };
    }

    const tableRows = await compiled.table.execute();
    expect(tableRows).toEqual(await plain.table.execute());
    expect(tableRows.length).toBeGreaterThanOrEqual(2);
    expect(tableRows[0]?.createdAt).toBeInstanceOf(Date);
    expect(tableRows.some((r) => r.claimedAt instanceof Date && r.claimedByCommuneId !== null)).toBe(true);
    expect(tableRows.some((r) => r.claimedAt === null)).toBe(true);

    const cteRows = await compiled.cte.execute();
    expect(cteRows).toEqual(await plain.cte.execute());
    expect(cteRows[0]).toMatchObject({ n: 1, none: null });
    expect(cteRows[0]?.at).toBeInstanceOf(Date);

    const eventRows = await compiled.events.execute({ action: 'claim' });
    expect(eventRows).toEqual(await plain.events.execute({ action: 'claim' }));
    expect(eventRows[0]?.snapshot).toMatchObject({ id: first.id, status: 'claimed' });
    expect(mapped).toBe(3);
  });
});
