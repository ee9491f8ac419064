/**
 * Reports benchmark: the coordinator's daily report and a month's cost statement, on the real app and
 * server PostgreSQL, over a region with 100,000 tasks and their histories.
 *
 *   npm run bench            (after the claim and fan-out benchmarks)
 *   npx tsx bench/reports.ts (alone)
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL      admin connection to PostgreSQL (default postgres://postgres@127.0.0.1:5432/postgres);
 *                           a fresh database entraide_reports_<random> is created there and dropped at the end
 *   BENCH_REPORT_TASKS      tasks in the region (default 100000), spread over October 2026 in ten communes
 *   BENCH_REPORT_RUNS       measured requests of each report (default 50), after 5 unmeasured ones
 *
 * The tasks and their events (posted, claimed, started, completed or cancelled: about 3.4 per task) are
 * written in SQL, already numbered, as the app would have left them. Writes bench/results/reports.md
 * and bench/results/reports.json. Exits 1 when a report's p99 is over 500 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Executor } from '../server/db/client';
import { insertUser } from '../server/resources/accounts/accounts-repo';
import {
  benchConfig,
  benchPasswordHash,
  benchRegion,
  cleanUp,
  createBenchDatabase,
  exitOnError,
  exitWith,
  intEnv,
  latency,
  log,
  login,
  machine,
  makeDataDir,
  resultsDir,
  startApp,
  type Latency,
} from './bench-support';

const TASKS = intEnv('BENCH_REPORT_TASKS', 100_000);
const RUNS = intEnv('BENCH_REPORT_RUNS', 50);
const GOAL_P99_MS = 500;

/**
 * The region's history in a few statements: a plan of each task's fate (seeded, so every run writes the
 * same), the tasks as they end, then their events, numbered after the app's last one.
 */
export async function writeHistory(db: Executor, regionId: string, communeIds: string[]): Promise<void> {
  await db.execute(sql`select setseed(0.42)`);
  await db.execute(sql`create temp table plan as
    select gen_random_uuid() as id, g,
      (${sql.param(communeIds)}::uuid[])[1 + g % 10] as requester,
      (${sql.param(communeIds)}::uuid[])[1 + (g % 10 + 1 + floor(random() * 9)::int) % 10] as holder,
      timestamptz '2026-10-01 00:00:00+02' + random() * interval '30 days' as created,
      random() as fate, random() * interval '6 hours' as to_claim, random() * interval '24 hours' as to_done
    from generate_series(1, ${TASKS}) g`);
  // fate: below 0.05 cancelled, below 0.15 open, below 0.30 claimed, else done.
  await db.execute(sql`insert into tasks (id, code, requesting_commune_id, region_id, type, title,
      priority, due_at, delivery_mode, status, claimed_by_commune_id, claimed_at, created_at, updated_at, done_at,
      minutes_spent)
    select id, 'RPT-' || g, requester, ${regionId}, 'certificat_residence', 'Bench task', 'normal',
      created + interval '48 hours',
      'pickup_helper',
      case when fate < 0.05 then 'cancelled' when fate < 0.15 then 'open' when fate < 0.30 then 'claimed' else 'done' end,
      case when fate >= 0.15 then holder end,
      case when fate >= 0.15 then created + to_claim end,
      created,
      case when fate < 0.15 then created + to_claim when fate < 0.30 then created + to_claim
        else created + to_claim + to_done end,
      case when fate >= 0.30 then created + to_claim + to_done end,
      case when fate >= 0.30 then 10 + (g % 5) * 5 end
    from plan`);
  await db.execute(sql`insert into events (seq, task_id, region_id, type, action, from_status, to_status, snapshot, created_at)
    select (select last_seq from event_sequencer) + row_number() over (order by at, task_id, step), task_id, ${regionId},
      type, action, from_status, to_status,
      jsonb_build_object('id', task_id, 'status', to_status, 'due_at', due_at, 'claimed_by_commune_id', holder,
        'requesting_commune_id', requester, 'region_id', ${regionId}::uuid, 'created_at', posted_at), at
    from (
      select id as task_id, 1 as step, 'task:created' as type, 'create' as action, null as from_status,
        'open' as to_status, created as at, null::uuid as holder, created + interval '48 hours' as due_at,
        requester, created as posted_at from plan
      union all
      select id, 2, 'task:updated', 'cancel', 'open', 'cancelled', created + to_claim, null, created + interval '48 hours',
        requester, created from plan where fate < 0.05
      union all
      select id, 2, 'task:updated', 'claim', 'open', 'claimed', created + to_claim, holder, created + interval '48 hours',
        requester, created from plan where fate >= 0.15
      union all
      select id, 3, 'task:updated', 'start', 'claimed', 'in_progress', created + to_claim + to_done / 2, holder,
        created + interval '48 hours', requester, created from plan where fate >= 0.30
      union all
      select id, 4, 'task:updated', 'complete', 'in_progress', 'done', created + to_claim + to_done, holder,
        created + interval '48 hours', requester, created from plan where fate >= 0.30
    ) e`);
  await db.execute(sql`update event_sequencer set last_seq = (select max(seq) from events) where id = 1`);
  await db.execute(sql`drop table plan`);
  await db.execute(sql`analyze`);
}

interface Measure {
  name: string;
  path: string;
  latency: Latency;
}

async function measure(base: URL, cookie: string, name: string, pathname: string): Promise<Measure> {
  const get = async () => {
    const started = performance.now();
    const res = await fetch(new URL(`/api/v1${pathname}`, base), { headers: { cookie, accept: 'application/json' } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}: ${body.slice(0, 200)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i += 1) await get();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await get());
  const result = { name, path: pathname, latency: latency(times) };
  log(`${name}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  return result;
}

function report(
  measures: Measure[],
  info: { postgres: string; events: number; setupSeconds: number; load: number[] },
): string {
  const m = machine();
  const load = info.load.map((l) => l.toFixed(1)).join(', ');
  const rows = measures.map(
    (x) =>
      `| ${x.name} | \`${x.path}\` | ${x.latency.p50} | ${x.latency.p90} | ${x.latency.p99} | ${x.latency.max} | ${
        x.latency.p99 < GOAL_P99_MS ? 'yes' : '**no**'
      } |`,
  );
  return `# Reports benchmark

The coordinator's daily report and a month's cost statement, through the API of one app instance on
server PostgreSQL ${info.postgres}, over one region of ten communes with ${TASKS.toLocaleString('en')} tasks
posted in October 2026 and their ${info.events.toLocaleString('en')} events (posted, claimed, started,
completed or cancelled; about 15 % of the tasks still open and 15 % claimed at the end). ${RUNS} requests of each, one
at a time, after 5 unmeasured ones; times in milliseconds, as the client sees them. Goal: p99 under
${GOAL_P99_MS} ms. Written by \`bench/reports.ts\` on ${m.date} (Node ${m.node}, ${m.cpus} × ${m.cpuModel}),
while other work may have run on the machine (load average ${load} over 1, 5 and 15 minutes at the end
of the run, on ${m.cpus} cores); setting up the data took ${info.setupSeconds} s.

| report | request | p50 | p90 | p99 | max | p99 < ${GOAL_P99_MS} ms |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

- The daily report reads the day's events by \`events_region_day_idx\` (region, time); for the state at
  the end of the day, the region's active tasks unchanged since by \`tasks_region_active_idx\`, and the
  last event before the day's end (\`events_task_idx\`) of each task changed since, which for a day of
  October is most of the tasks active then. Today's report has almost no task changed since now.
- The statement reads the region's tasks done in the period by \`tasks_region_done_idx\` (region, done
  at, for done tasks only).
`;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('entraide_reports_');
  const running = await startApp(benchConfig({ dataDir: makeDataDir('entraide-reports-'), databaseUrl: database.url }));
  try {
    const db = running.database.db;
    const started = performance.now();
    const bench = await benchRegion(db, 'Bench reports region');
    const communes = [];
    for (let i = 0; i < 10; i += 1) communes.push(await bench.commune(String(90000 + i), `Commune ${i}`, i));
    await insertUser(db, {
      username: 'bench.coordinator',
      displayName: 'Bench coordinator',
      role: 'coordinator',
      regionId: bench.region.id,
      communeId: null,
      passwordHash: await benchPasswordHash(),
    });
    log(`writing ${TASKS} tasks and their events…`);
    await writeHistory(
      db,
      bench.region.id,
      communes.map((c) => c.id),
    );
    const counted = await db.execute(sql`select count(*)::int as n from events`);
    const events = (counted as { rows: { n: number }[] }).rows[0]?.n ?? 0;
    const setupSeconds = Math.round((performance.now() - started) / 100) / 10;
    log(`${events} events written in ${setupSeconds} s`);
    const base = new URL(running.url);
    const cookie = await login(base, 'bench.coordinator');
    const measures = [
      await measure(base, cookie, 'daily report, a day of October', '/reports/daily?date=2026-10-15'),
      await measure(base, cookie, 'daily report, today', '/reports/daily'),
      await measure(base, cookie, "October's statement", '/reports/statement?from=2026-10-01&to=2026-10-31'),
      await measure(
        base,
        cookie,
        "October's statement, CSV",
        '/reports/statement?from=2026-10-01&to=2026-10-31&format=csv',
      ),
    ];
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(
      path.join(resultsDir, 'reports.json'),
      `${JSON.stringify({ machine: machine(), tasks: TASKS, events, runs: RUNS, measures }, null, 2)}\n`,
    );
    fs.writeFileSync(
      path.join(resultsDir, 'reports.md'),
      report(measures, { postgres: database.version, events, setupSeconds, load: os.loadavg() }),
    );
    log('wrote bench/results/reports.md');
    exitWith(measures.every((x) => x.latency.p99 < GOAL_P99_MS) ? 0 : 1);
  } finally {
    await running.stop();
    await cleanUp();
  }
}

if (require.main === module) main().catch(exitOnError);
