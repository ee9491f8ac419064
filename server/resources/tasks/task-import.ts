import { msg } from '../../core/messages';
import { parse } from 'csv-parse/sync';
import { limits } from '../../../shared/limits';
import { csvColumns, TaskCreate, type FieldError } from '../../../shared/schemas';
import { ValidationError } from '../../core/errors';
import { zodFieldErrors } from '../../http/validate';
import type { PostingRow } from './task-posting';

export interface CsvRecord {
  /** The spreadsheet row: the header is row 1, the first task row 2. */
  row: number;
  value: Record<string, unknown>;
}

const citizenColumns: Record<string, string> = {
  citizenFullName: 'fullName',
  citizenNationalNumber: 'nationalNumber',
  citizenBirthDate: 'birthDate',
  citizenPhone: 'phone',
  citizenEmail: 'email',
  citizenAddress: 'address',
};

const slotColumns: Record<string, string> = {
  slotStart: 'start',
  slotDurationMinutes: 'durationMinutes',
  slotPlace: 'place',
};

/** A cell of a number column as a number when it reads as one; otherwise as typed, for the schema to refuse. */
const numberCell = (cell: string): number | string => (/^\d+$/.test(cell) ? Number(cell) : cell);

function delimiterOf(text: string): string {
  const headerLine = text.split(/\r?\n/, 1)[0] ?? '';
  return headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
}

/** Reads the import template's CSV into task inputs; blank cells are left out so defaults apply. */
export function readTaskCsv(text: string): CsvRecord[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      // A file made before the slot columns were added ends at citizenAddress: its rows are shorter.
      relax_column_count_less: true,
      // Spreadsheets set to French write semicolons; the header line tells which one this file uses.
      delimiter: delimiterOf(text),
    });
  } catch (err) {
    throw new ValidationError(`The CSV file could not be read: ${(err as Error).message}`, [
      { field: 'body', message: 'is not valid CSV', code: 'invalid_csv' },
    ]);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((h) => !(csvColumns as readonly string[]).includes(h));
  if (unknown.length > 0) {
    throw new ValidationError(
      `The CSV has columns this import does not know: ${unknown.join(', ')}. Use the template's header.`,
      unknown.map((h) => ({
        row: 1,
        field: h,
        message: 'is not a column of the template',
        code: 'unknown_column' as const,
      })),
    );
  }
  return records.map(({ record, info }) => {
    const value: Record<string, unknown> = {};
    const citizen: Record<string, string> = {};
    const slot: Record<string, string | number> = {};
    for (const [key, cell] of Object.entries(record)) {
      if (cell === '') continue;
      const citizenKey = citizenColumns[key];
      const slotKey = slotColumns[key];
      if (citizenKey) citizen[citizenKey] = cell;
      else if (slotKey) slot[slotKey] = slotKey === 'durationMinutes' ? numberCell(cell) : cell;
      else value[key] = cell;
    }
    if (Object.keys(citizen).length > 0) value.citizen = citizen;
    if (Object.keys(slot).length > 0) value.slot = slot;
    return { row: info.lines, value };
  });
}

export function taskCsvTemplate(): string {
  const example = [
    'certificat_residence',
    // The title and details are seen by every commune of the region, in clear: the citizen goes in
    // the citizen columns (encrypted, shown only to the two communes), never in these two.
    'Certificat de résidence',
    'Pour la mutuelle. Aucun nom ni numéro ici : le citoyen va dans les colonnes citizen…',
    'normal',
    '',
    'pickup_helper',
    '',
    'Jean Dupont',
    '',
    '1985-07-30',
    '+32 4 123 45 67',
    '',
    'Rue Léopold 1, 4000 Liège',
    // An appointment type (rdv_…) takes its slot here: start, minutes, place (the counter).
    '',
    '',
    '',
  ];
  return `${csvColumns.join(',')}\n${example.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\n`;
}

/**
 * The rows of a bulk post, from a JSON array or the template's CSV: each row checked against the
 * shared schema, the bad ones reported by row. A body that is no batch at all is refused whole.
 */
export function importRows(body: unknown): { rows: PostingRow[]; errors: FieldError[] } {
  const raw =
    typeof body === 'string'
      ? readTaskCsv(body)
      : Array.isArray(body)
        ? (body as unknown[]).map((value, i) => ({ row: i + 1, value }))
        : undefined;
  if (!raw)
    throw new ValidationError(msg('bulk_not_a_batch'), [
      { field: 'body', message: 'must be a JSON array or text/csv', code: 'wrong_type', params: { expected: 'array' } },
    ]);
  if (raw.length === 0)
    throw new ValidationError(msg('bulk_empty'), [
      { field: 'body', message: 'must hold at least one task', code: 'too_few', params: { min: 1 } },
    ]);
  if (raw.length > limits.bulkRowsMax) {
    throw new ValidationError(
      `A batch holds at most ${limits.bulkRowsMax} tasks; this one has ${raw.length}. Split it.`,
      [
        {
          field: 'body',
          message: `must hold at most ${limits.bulkRowsMax} tasks`,
          code: 'too_many',
          params: { max: limits.bulkRowsMax },
        },
      ],
    );
  }
  const rows: PostingRow[] = [];
  const errors: FieldError[] = [];
  for (const { row, value } of raw) {
    const parsed = TaskCreate.safeParse(value);
    if (parsed.success) rows.push({ row, input: parsed.data });
    else errors.push(...zodFieldErrors(parsed.error, value, row));
  }
  return { rows, errors };
}
