import { lazy, Suspense, useCallback, useEffect, useId, useMemo, useReducer, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/events';
import { Commune, CommuneLoad, Problem, type CommuneStatus, type User } from '../../../../shared/schemas';
import { ApiError } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { dashboardMessages, type DashboardMessageKey } from './messages';
import './dashboard.css';

type LoadSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Connection = 'connecting' | 'live' | 'offline';

/** Loads are derived data: a slow, periodic reload also catches what time alone changes (done today, 24 h). */
const RELOAD_EVERY_MS = 5 * 60_000;
/** How long a figure that just changed stays highlighted. */
const HIGHLIGHT_MS = 4_000;

// ---------------------------------------------------------------------------------------------------
// Figures

type MetricKey =
  | 'open' | 'claimed' | 'inProgress' | 'overdue' | 'doneToday'
  | 'heldClaimed' | 'heldInProgress' | 'heldOverdue' | 'heldDoneToday' | 'throughput24h';

function metric(load: CommuneLoad, key: MetricKey): number {
  switch (key) {
    case 'open': return load.posted.open;
    case 'claimed': return load.posted.claimed;
    case 'inProgress': return load.posted.inProgress;
    case 'overdue': return load.posted.overdue;
    case 'doneToday': return load.posted.doneToday;
    case 'heldClaimed': return load.held.claimed;
    case 'heldInProgress': return load.held.inProgress;
    case 'heldOverdue': return load.held.overdue;
    case 'heldDoneToday': return load.held.doneToday;
    case 'throughput24h': return load.throughput24h;
  }
}

const postedColumns = [
  { key: 'open', label: 'open' },
  { key: 'claimed', label: 'claimed' },
  { key: 'inProgress', label: 'inProgress' },
  { key: 'overdue', label: 'overdue' },
  { key: 'doneToday', label: 'doneToday' },
] as const satisfies readonly { key: MetricKey; label: DashboardMessageKey }[];
const heldColumns = [
  { key: 'heldClaimed', label: 'claimed' },
  { key: 'heldInProgress', label: 'inProgress' },
  { key: 'heldOverdue', label: 'overdue' },
  { key: 'heldDoneToday', label: 'doneToday' },
] as const satisfies readonly { key: MetricKey; label: DashboardMessageKey }[];
const allMetrics: readonly MetricKey[] = [...postedColumns.map((c) => c.key), ...heldColumns.map((c) => c.key), 'throughput24h'];

/** Colours of the chart series: each at least 4.5:1 on white, so legend and tooltip text read too. */
const colours = {
  open: '#1a4f86',
  claimed: '#b45309',
  inProgress: '#0f766e',
  overdue: '#a4161a',
  done: '#6b3fa0',
} as const;
const statusColours: Record<CommuneStatus, string> = { normal: '#137333', incident: '#a4161a', recovering: '#8a5a00' };
const statusOrder: Record<CommuneStatus, number> = { incident: 0, recovering: 1, normal: 2 };

// ---------------------------------------------------------------------------------------------------
// Data: REST at mount and on every (re)connection, then `load:updated` from the socket.

const LoadList = z.object({ items: z.array(CommuneLoad) });
const CommuneList = z.object({ items: z.array(Commune) });

async function getJson<S extends z.ZodType>(schema: S, path: string): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'network' });
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const problem = Problem.safeParse(body);
    throw new ApiError(problem.success ? problem.data : { type: 'about:blank', title: res.statusText, status: res.status });
  }
  return schema.parse(body);
}

interface LoadState {
  loads: ReadonlyMap<string, CommuneLoad>;
  /** `communeId.metric` of the figures the last live update changed. */
  changed: ReadonlySet<string>;
  /** Bumped by every live update that changed something, to time the highlight out. */
  generation: number;
}
type LoadAction = { type: 'merge'; items: CommuneLoad[]; live: boolean } | { type: 'settle'; generation: number };

function loadReducer(state: LoadState, action: LoadAction): LoadState {
  if (action.type === 'settle') return action.generation === state.generation ? { ...state, changed: new Set<string>() } : state;
  const loads = new Map(state.loads);
  const changed = new Set<string>();
  for (const item of action.items) {
    const known = loads.get(item.communeId);
    // A REST answer and a broadcast may cross: keep the most recently computed figures.
    if (known && Date.parse(known.at) > Date.parse(item.at)) continue;
    loads.set(item.communeId, item);
    if (known && action.live) for (const key of allMetrics) if (metric(known, key) !== metric(item, key)) changed.add(`${item.communeId}.${key}`);
  }
  if (changed.size === 0) return { ...state, loads };
  return { loads, changed, generation: state.generation + 1 };
}

function useRegionLoad() {
  const [state, dispatch] = useReducer(loadReducer, { loads: new Map<string, CommuneLoad>(), changed: new Set<string>(), generation: 0 });
  const [communes, setCommunes] = useState<Commune[]>();
  const [connection, setConnection] = useState<Connection>('connecting');
  const [error, setError] = useState<ApiError>();
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const [loads, list] = await Promise.all([getJson(LoadList, '/communes/load'), getJson(CommuneList, '/communes')]);
      if (!alive.current) return;
      dispatch({ type: 'merge', items: loads.items, live: false });
      setCommunes(list.items);
      setError(undefined);
    } catch (err) {
      if (alive.current) setError(err instanceof ApiError ? err : new ApiError({ type: 'about:blank', title: String(err), status: 500 }));
    }
  }, []);

  const reloadCommunes = useCallback(async () => {
    const list = await getJson(CommuneList, '/communes').catch(() => undefined);
    if (list && alive.current) setCommunes(list.items);
  }, []);

  useEffect(() => {
    alive.current = true;
    void reload();
    const socket: LoadSocket = io({ transports: ['websocket', 'polling'] });
    // Whatever was broadcast while disconnected is lost: fetch the figures again on every connection.
    socket.on('connect', () => {
      setConnection('live');
      void reload();
    });
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('load:updated', (payload) => dispatch({ type: 'merge', items: payload.loads, live: true }));
    // A commune's status follows its incidents.
    socket.on('incident:updated', () => void reloadCommunes());
    const timer = window.setInterval(() => void reload(), RELOAD_EVERY_MS);
    return () => {
      alive.current = false;
      window.clearInterval(timer);
      socket.close();
    };
  }, [reload, reloadCommunes]);

  useEffect(() => {
    if (state.changed.size === 0) return;
    const timer = window.setTimeout(() => dispatch({ type: 'settle', generation: state.generation }), HIGHLIGHT_MS);
    return () => window.clearTimeout(timer);
  }, [state.changed, state.generation]);

  return { loads: state.loads, changed: state.changed, communes, connection, error, reload };
}

// ---------------------------------------------------------------------------------------------------
// The page

interface Row {
  commune: Commune;
  load: CommuneLoad | undefined;
}
type SortKey = 'name' | 'status' | MetricKey;
interface Sort {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

function useMessages() {
  const { locale } = useI18n();
  return useMemo(() => {
    const m = dashboardMessages[locale];
    return (key: DashboardMessageKey, values: Record<string, string | number> = {}) =>
      m[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
  }, [locale]);
}

export function DashboardPage({ user }: { user: User }) {
  const { locale, formatNumber, formatDate } = useI18n();
  const m = useMessages();
  const { loads, changed, communes, connection, error, reload } = useRegionLoad();
  const [sort, setSort] = useState<Sort>({ key: 'name', direction: 'ascending' });
  const collator = useMemo(() => new Intl.Collator(locale === 'fr' ? 'fr-BE' : 'en-GB'), [locale]);

  const rows = useMemo<Row[]>(() => {
    const list = (communes ?? []).map((commune) => ({ commune, load: loads.get(commune.id) }));
    const value = (row: Row): number => (sort.key === 'name' || sort.key === 'status' ? 0 : row.load ? metric(row.load, sort.key) : -1);
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return list.sort((a, b) => {
      const byKey = sort.key === 'name' ? collator.compare(a.commune.name, b.commune.name)
        : sort.key === 'status' ? statusOrder[a.commune.status] - statusOrder[b.commune.status]
        : value(a) - value(b);
      return sign * byKey || collator.compare(a.commune.name, b.commune.name);
    });
  }, [communes, loads, sort, collator]);

  const totals = useMemo(() => {
    const sum = (key: MetricKey) => rows.reduce((acc, row) => acc + (row.load ? metric(row.load, key) : 0), 0);
    return Object.fromEntries(allMetrics.map((key) => [key, sum(key)])) as Record<MetricKey, number>;
  }, [rows]);
  const inIncident = rows.filter((row) => row.commune.status === 'incident').length;
  const latest = [...loads.values()].reduce<string | undefined>((acc, l) => (!acc || Date.parse(l.at) > Date.parse(acc) ? l.at : acc), undefined);

  const title = user.regionName ? m('titleRegion', { region: user.regionName }) : m('title');
  const statusText = (status: CommuneStatus) => m(status);
  const cell = (row: Row, key: MetricKey) => {
    const isChanged = changed.has(`${row.commune.id}.${key}`);
    return (
      <td key={key} className={`num${isChanged ? ' changed' : ''}${(key === 'overdue' || key === 'heldOverdue') && row.load && metric(row.load, key) > 0 ? ' late' : ''}`}>
        {row.load ? formatNumber(metric(row.load, key)) : '—'}
      </td>
    );
  };
  const sortHeader = (key: SortKey, label: string, rowSpan?: number) => {
    const active = sort.key === key;
    const numeric = key !== 'name' && key !== 'status';
    const next: Sort = { key, direction: active ? (sort.direction === 'ascending' ? 'descending' : 'ascending') : numeric ? 'descending' : 'ascending' };
    return (
      <th key={key} scope="col" rowSpan={rowSpan} aria-sort={active ? sort.direction : undefined} className={numeric ? 'num' : undefined}>
        <button type="button" className="sort" onClick={() => setSort(next)} title={m('sortBy', { column: label })}>
          {label}
          <span className="sort-mark" aria-hidden="true">{active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };

  const postedData = rows.map((row) => ({
    name: row.commune.name,
    open: row.load?.posted.open ?? 0,
    claimed: row.load?.posted.claimed ?? 0,
    inProgress: row.load?.posted.inProgress ?? 0,
    overdue: row.load?.posted.overdue ?? 0,
  }));
  const heldData = rows.map((row) => ({
    name: row.commune.name,
    claimed: row.load?.held.claimed ?? 0,
    inProgress: row.load?.held.inProgress ?? 0,
    done: row.load?.throughput24h ?? 0,
  }));

  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="dashboard-head">
        <h1 id="dashboard-title">{title}</h1>
        <p className={`connection ${connection}`} role="status">
          <span aria-hidden="true">●</span> {m(connection)}
        </p>
      </div>
      <p className="dashboard-intro">{m('intro')}</p>
      {latest && <p className="dashboard-updated"><time dateTime={latest}>{m('updatedAt', { time: formatDate(latest) })}</time></p>}

      {error && (
        <div className="notice conflict" role="alert">
          <p>{error.status === 403 ? m('forbidden') : error.status === 0 ? m('networkError') : error.message}</p>
          {error.status !== 403 && <button type="button" onClick={() => void reload()}>{m('retry')}</button>}
        </div>
      )}
      {!communes && !error && <p>{m('loading')}</p>}

      {communes && (
        <>
          <section aria-labelledby="dashboard-summary">
            <h2 id="dashboard-summary" className="visually-hidden">{m('summary')}</h2>
            <dl className="summary">
              <div className="tile"><dt>{m('totalBacklog')}</dt><dd>{formatNumber(totals.open)}</dd></div>
              <div className="tile"><dt>{m('totalActive')}</dt><dd>{formatNumber(totals.claimed + totals.inProgress)}</dd></div>
              <div className={`tile${totals.overdue > 0 ? ' alert' : ''}`}><dt>{m('totalOverdue')}</dt><dd>{formatNumber(totals.overdue)}</dd></div>
              <div className="tile"><dt>{m('totalDoneToday')}</dt><dd>{formatNumber(totals.doneToday)}</dd></div>
              <div className="tile"><dt>{m('totalThroughput')}</dt><dd>{formatNumber(totals.throughput24h)}</dd></div>
              <div className={`tile${inIncident > 0 ? ' alert' : ''}`}><dt>{m('communesInIncident')}</dt><dd>{formatNumber(inIncident)}</dd></div>
            </dl>
          </section>

          <h2 className="table-title">{m('tableCaption')}</h2>
          <p className="table-note">{m('sortHint')}</p>
          <div className="table-scroll" role="region" aria-label={m('tableRegion')} tabIndex={0}>
            <table className="load-table">
              {/* The heading above shows the title; the caption names the table for assistive technology. */}
              <caption className="visually-hidden">{m('tableCaption')}</caption>
              <colgroup><col /><col /></colgroup>
              <colgroup span={postedColumns.length} className="posted" />
              <colgroup span={heldColumns.length} className="held" />
              <colgroup><col /></colgroup>
              <thead>
                <tr>
                  {sortHeader('name', m('commune'), 2)}
                  {sortHeader('status', m('status'), 2)}
                  <th scope="colgroup" colSpan={postedColumns.length} className="group">{m('posted')}</th>
                  <th scope="colgroup" colSpan={heldColumns.length} className="group held">{m('held')}</th>
                  {sortHeader('throughput24h', m('throughput'), 2)}
                </tr>
                <tr>
                  {postedColumns.map((c) => sortHeader(c.key, m(c.label)))}
                  {heldColumns.map((c) => sortHeader(c.key, m(c.label)))}
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && (
                  <tr><td colSpan={3 + postedColumns.length + heldColumns.length}>{m('noCommunes')}</td></tr>
                )}
                {rows.map((row) => (
                  <tr key={row.commune.id}>
                    <th scope="row">{row.commune.name}</th>
                    <td><span className={`status-badge ${row.commune.status}`}>{statusText(row.commune.status)}</span></td>
                    {postedColumns.map((c) => cell(row, c.key))}
                    {heldColumns.map((c) => cell(row, c.key))}
                    {cell(row, 'throughput24h')}
                  </tr>
                ))}
              </tbody>
              {rows.length > 0 && (
                <tfoot>
                  <tr>
                    <th scope="row">{m('total')}</th>
                    <td />
                    {[...postedColumns, ...heldColumns].map((c) => <td key={c.key} className="num">{formatNumber(totals[c.key])}</td>)}
                    <td className="num">{formatNumber(totals.throughput24h)}</td>
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
          <p className="table-note">{m('overdueNote')} {m('throughputNote')}</p>

          {rows.length > 0 && (
            <>
              <h2>{m('charts')}</h2>
              <p className="table-note">{m('chartsNote')}</p>
              <div className="charts">
                <LoadChart
                  title={m('postedChart')}
                  desc={m('postedChartDesc')}
                  data={postedData}
                  series={[
                    { key: 'open', label: m('open'), colour: colours.open, stack: 'posted' },
                    { key: 'claimed', label: m('claimed'), colour: colours.claimed, stack: 'posted' },
                    { key: 'inProgress', label: m('inProgress'), colour: colours.inProgress, stack: 'posted' },
                    { key: 'overdue', label: m('overdue'), colour: colours.overdue },
                  ]}
                  formatNumber={formatNumber}
                  loading={m('loading')}
                />
                <LoadChart
                  title={m('heldChart')}
                  desc={m('heldChartDesc')}
                  data={heldData}
                  series={[
                    { key: 'claimed', label: m('claimed'), colour: colours.claimed, stack: 'held' },
                    { key: 'inProgress', label: m('inProgress'), colour: colours.inProgress, stack: 'held' },
                    { key: 'done', label: m('doneLast24h'), colour: colours.done },
                  ]}
                  formatNumber={formatNumber}
                  loading={m('loading')}
                />
              </div>
              <CommuneMap rows={rows} m={m} formatNumber={formatNumber} />
            </>
          )}
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------
// Charts (recharts): horizontal bars, one category per commune, so long names stay readable on a phone.

interface Series {
  key: string;
  label: string;
  colour: string;
  stack?: string;
}
type ChartDatum = Record<string, string | number>;
interface BarsProps {
  title: string;
  desc: string;
  data: ChartDatum[];
  series: Series[];
  height: number;
  formatNumber: (n: number) => string;
}

/** recharts is loaded with the first chart, in a chunk of its own: the board and the other pages do without it. */
const Bars = lazy(async () => {
  const { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } = await import('recharts');
  function RechartsBars({ title, desc, data, series, height, formatNumber }: BarsProps) {
    return (
      <BarChart
        layout="vertical"
        data={data}
        responsive
        style={{ width: '100%', height }}
        title={title}
        desc={desc}
        margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
        barCategoryGap="18%"
        barGap={2}
      >
        <CartesianGrid horizontal={false} stroke="#d5d9de" />
        <XAxis type="number" allowDecimals={false} tickFormatter={(v: number) => formatNumber(v)} stroke="#5b6470" tick={{ fill: '#1b1f24', fontSize: 13 }} />
        <YAxis type="category" dataKey="name" width="auto" stroke="#5b6470" tick={{ fill: '#1b1f24', fontSize: 13 }} />
        <Tooltip
          cursor={{ fill: '#eceff3' }}
          formatter={(value) => (typeof value === 'number' ? formatNumber(value) : value)}
          itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)}
          contentStyle={{ border: '1px solid #5b6470', borderRadius: 6, color: '#1b1f24' }}
          labelStyle={{ fontWeight: 700, color: '#1b1f24' }}
        />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.colour} stackId={s.stack} stroke="#ffffff" strokeWidth={1} maxBarSize={22} />
        ))}
      </BarChart>
    );
  }
  return { default: RechartsBars };
});

function LoadChart({ title, desc, data, series, formatNumber, loading }: Omit<BarsProps, 'height'> & { loading: string }) {
  const captionId = useId();
  const bars = new Set(series.map((s) => s.stack ?? s.key)).size;
  const height = 50 + data.length * Math.max(34, 18 * bars + 12);
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{title}</figcaption>
      <Suspense fallback={<p className="chart-loading" style={{ height }}>{loading}</p>}>
        <Bars title={title} desc={desc} data={data} series={series} height={height} formatNumber={formatNumber} />
      </Suspense>
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.key}><span className="swatch" style={{ background: s.colour }} aria-hidden="true" />{s.label}</li>
        ))}
      </ul>
    </figure>
  );
}

// ---------------------------------------------------------------------------------------------------
// Map: an equirectangular projection of the communes' coordinates into the SVG box.

type Translate = (key: DashboardMessageKey, values?: Record<string, string | number>) => string;

interface Placed {
  row: Row;
  x: number;
  y: number;
  r: number;
}
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Label {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

/** The projected coordinates: x ∝ longitude·cos(mean latitude), y ∝ −latitude, one scale for both. */
function planar(rows: Row[]) {
  const meanLat = rows.reduce((acc, row) => acc + row.commune.latitude, 0) / Math.max(1, rows.length);
  const k = Math.cos((meanLat * Math.PI) / 180);
  const xs = rows.map((row) => row.commune.longitude * k);
  const ys = rows.map((row) => row.commune.latitude);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  return { xs, ys, minX, minY, maxY, spanX: maxX - minX, spanY: maxY - minY };
}

/** A box of `width` whose height follows the region's shape, within reason. */
function mapHeight(rows: Row[], width: number): number {
  const { spanX, spanY } = planar(rows);
  const aspect = spanX > 1e-9 && spanY > 1e-9 ? spanY / spanX : 0.6;
  return Math.round(Math.min(520, Math.max(260, width * Math.min(1.1, Math.max(0.5, aspect)))));
}

/** Places the communes in a width × height box; communes at (nearly) the same place are fanned out. */
function projectCommunes(rows: Row[], width: number, height: number): Placed[] {
  if (rows.length === 0) return [];
  const pad = Math.max(40, Math.min(width, height) * 0.12);
  const { xs, ys, minX, maxY, spanX, spanY } = planar(rows);
  const eps = 1e-9;
  const scales = [
    ...(spanX > eps ? [(width - 2 * pad) / spanX] : []),
    ...(spanY > eps ? [(height - 2 * pad) / spanY] : []),
  ];
  const scale = scales.length ? Math.min(...scales) : 0;
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  const maxOpen = Math.max(1, ...rows.map((row) => row.load?.posted.open ?? 0));
  const rMin = 5;
  const rMax = Math.max(14, Math.min(28, width / 18));
  const placed = rows.map((row, i) => ({
    row,
    x: offsetX + ((xs[i] ?? 0) - minX) * scale,
    y: offsetY + (maxY - (ys[i] ?? 0)) * scale,
    r: rMin + (rMax - rMin) * Math.sqrt((row.load?.posted.open ?? 0) / maxOpen),
  }));
  const groups = new Map<string, Placed[]>();
  for (const p of placed) {
    const key = `${Math.round(p.x / 8)}:${Math.round(p.y / 8)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const step = Math.max(30, 2 * Math.max(...group.map((p) => p.r)) + 8);
    group.forEach((p, i) => {
      p.y += (i - (group.length - 1) / 2) * step;
    });
  }
  return placed.map((p) => ({ ...p, x: Math.min(width - p.r - 2, Math.max(p.r + 2, p.x)), y: Math.min(height - p.r - 2, Math.max(p.r + 2, p.y)) }));
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/**
 * Puts each label where it hides the least of the other labels and circles: right of its circle if it
 * can, else left, above, below or on a diagonal. The biggest circles choose first.
 */
function placeLabels(placed: Placed[], widths: number[], width: number, height: number): Label[] {
  const h = 16;
  const circles: Box[] = placed.map((p) => ({ x: p.x - p.r - 5, y: p.y - p.r - 5, w: 2 * p.r + 10, h: 2 * p.r + 10 }));
  const taken: Box[] = [];
  const labels: Label[] = placed.map(() => ({ x: 0, y: 0, anchor: 'start' }));
  const order = placed.map((_, i) => i).sort((a, b) => (placed[b]?.r ?? 0) - (placed[a]?.r ?? 0));
  for (const i of order) {
    const p = placed[i];
    const w = widths[i] ?? 0;
    if (!p) continue;
    // Clear of the circle and of the ring an incident adds around it.
    const g = p.r + 7;
    const d = g * 0.72;
    const candidates: { box: Box; label: Label }[] = [
      { box: { x: p.x + g, y: p.y - h / 2, w, h }, label: { x: p.x + g, y: p.y + 4.5, anchor: 'start' } },
      { box: { x: p.x - g - w, y: p.y - h / 2, w, h }, label: { x: p.x - g, y: p.y + 4.5, anchor: 'end' } },
      { box: { x: p.x - w / 2, y: p.y - g - h, w, h }, label: { x: p.x, y: p.y - g - 4, anchor: 'middle' } },
      { box: { x: p.x - w / 2, y: p.y + g, w, h }, label: { x: p.x, y: p.y + g + 12, anchor: 'middle' } },
      { box: { x: p.x + d, y: p.y - d - h, w, h }, label: { x: p.x + d, y: p.y - d - 4, anchor: 'start' } },
      { box: { x: p.x + d, y: p.y + d, w, h }, label: { x: p.x + d, y: p.y + d + 12, anchor: 'start' } },
      { box: { x: p.x - d - w, y: p.y - d - h, w, h }, label: { x: p.x - d, y: p.y - d - 4, anchor: 'end' } },
      { box: { x: p.x - d - w, y: p.y + d, w, h }, label: { x: p.x - d, y: p.y + d + 12, anchor: 'end' } },
    ];
    let best: { box: Box; label: Label; cost: number } | undefined;
    for (const c of candidates) {
      const outside = c.box.w * c.box.h - overlap(c.box, { x: 4, y: 4, w: width - 8, h: height - 8 });
      const cost = 3 * outside
        + taken.reduce((acc, b) => acc + 2 * overlap(c.box, b), 0)
        + circles.reduce((acc, b, j) => acc + (j === i ? 0 : overlap(c.box, b)), 0);
      if (!best || cost < best.cost - 0.5) best = { ...c, cost };
    }
    if (best) {
      taken.push(best.box);
      labels[i] = best.label;
    }
  }
  return labels;
}

/** Text widths as the browser will draw them (a canvas measures them), or a fair guess. */
function measureTexts(texts: string[]): number[] {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return texts.map((text) => text.length * 7.6);
  context.font = `700 13px ${getComputedStyle(document.documentElement).fontFamily}`;
  return texts.map((text) => Math.ceil(context.measureText(text).width) + 2);
}

function useWidth<T extends HTMLElement>(initial: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(240, Math.round(element.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

function CommuneMap({ rows, m, formatNumber }: { rows: Row[]; m: Translate; formatNumber: (n: number) => string }) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const titleId = useId();
  const descId = useId();
  const byName = useMemo(() => [...rows].sort((a, b) => a.commune.name.localeCompare(b.commune.name)), [rows]);
  const height = mapHeight(byName, width);
  const open = (row: Row) => (row.load ? formatNumber(row.load.posted.open) : '—');
  const labelText = (row: Row) => `${row.commune.name} (${open(row)})`;
  const placed = projectCommunes(byName, width, height);
  const labels = placeLabels(placed, measureTexts(placed.map((p) => labelText(p.row))), width, height);
  const describe = (row: Row) => m('mapCommune', { name: row.commune.name, status: m(row.commune.status), open: open(row) });
  const alt = m('mapAlt', { count: formatNumber(rows.length), details: byName.map(describe).join(' ; ') });

  return (
    <figure className="commune-map" aria-labelledby={titleId}>
      <figcaption id={titleId}>{m('map')}</figcaption>
      <p className="table-note">{m('mapDesc')}</p>
      <div ref={ref} className="map-box">
        <svg role="img" aria-labelledby={`${titleId}-svg`} aria-describedby={descId} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
          <title id={`${titleId}-svg`}>{m('map')}</title>
          <desc id={descId}>{alt}</desc>
          <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
          {/* Larger circles first, so that the small ones stay on top and visible. */}
          {[...placed].sort((a, b) => b.r - a.r).map((p) => (
            <g key={p.row.commune.id} className={`map-commune ${p.row.commune.status}`}>
              <title>{describe(p.row)}</title>
              <circle cx={p.x} cy={p.y} r={p.r} fill={statusColours[p.row.commune.status]} fillOpacity={0.8}
                stroke={statusColours[p.row.commune.status]} strokeWidth={p.row.commune.status === 'incident' ? 3 : 1.5}
                strokeDasharray={p.row.commune.status === 'recovering' ? '4 3' : undefined} />
              {p.row.commune.status === 'incident' && <circle cx={p.x} cy={p.y} r={p.r + 4} fill="none" stroke="#a4161a" strokeWidth={1.5} />}
            </g>
          ))}
          {/* Labels above every circle. */}
          {placed.map((p, i) => {
            const label = labels[i];
            if (!label) return null;
            return (
              <text key={p.row.commune.id} x={label.x} y={label.y} textAnchor={label.anchor} className="map-label">
                {p.row.commune.name}<tspan className="map-count"> ({open(p.row)})</tspan>
              </text>
            );
          })}
        </svg>
      </div>
      <div className="map-legend">
        <span className="legend-title">{m('mapLegend')}</span>
        {(['normal', 'recovering', 'incident'] as const).map((status) => (
          <span key={status} className="legend-item">
            <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
              <circle cx="9" cy="9" r={status === 'incident' ? 6 : 7} fill={statusColours[status]} fillOpacity={0.8} stroke={statusColours[status]}
                strokeWidth={status === 'incident' ? 2 : 1.5} strokeDasharray={status === 'recovering' ? '3 2' : undefined} />
            </svg>
            {m(status)}
          </span>
        ))}
        <span className="legend-item">{m('mapSize')}</span>
      </div>
      <details className="map-text">
        <summary>{m('mapList')}</summary>
        <ul>
          {byName.map((row) => <li key={row.commune.id}>{describe(row)}</li>)}
        </ul>
      </details>
    </figure>
  );
}
