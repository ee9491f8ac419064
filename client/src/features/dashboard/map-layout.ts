import type { Row } from './load-metrics';

// Map: an equirectangular projection of the communes' coordinates into the SVG box.

export interface Placed {
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
export interface Label {
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
export function mapHeight(rows: Row[], width: number): number {
  const { spanX, spanY } = planar(rows);
  const aspect = spanX > 1e-9 && spanY > 1e-9 ? spanY / spanX : 0.6;
  return Math.round(Math.min(520, Math.max(260, width * Math.min(1.1, Math.max(0.5, aspect)))));
}

/** Places the communes in a width × height box; communes at (nearly) the same place are fanned out. */
export function projectCommunes(rows: Row[], width: number, height: number): Placed[] {
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
  return placed.map((p) => ({
    ...p,
    x: Math.min(width - p.r - 2, Math.max(p.r + 2, p.x)),
    y: Math.min(height - p.r - 2, Math.max(p.r + 2, p.y)),
  }));
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/**
 * Puts each label where it hides the least of the other labels and circles: right of its circle if it
 * can, else left, above, below or on a diagonal. The biggest circles choose first.
 */
export function placeLabels(placed: Placed[], widths: number[], width: number, height: number): Label[] {
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
      const cost =
        3 * outside +
        taken.reduce((acc, b) => acc + 2 * overlap(c.box, b), 0) +
        circles.reduce((acc, b, j) => acc + (j === i ? 0 : overlap(c.box, b)), 0);
      if (!best || cost < best.cost - 0.5) best = { ...c, cost };
    }
    if (best) {
      taken.push(best.box);
      labels[i] = best.label;
    }
  }
  return labels;
}
