import { Column, is, SQL, Subquery } from 'drizzle-orm';

/** What this module needs of a drizzle prepared query (node-postgres and PGlite alike). */
interface MappedStatement {
  fields?: { path: string[]; field: unknown }[];
  customResultMapper?: (rows: unknown[][]) => unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/** The decoder drizzle's own mapping (mapResultRow) picks for a selected field: its `decoder` is not typed. */
function decoderOf(field: unknown): Decoder {
  type Decoded = { decoder: Decoder };
  if (is(field, Column)) return field;
  if (is(field, SQL)) return (field as unknown as Decoded).decoder;
  if (is(field, Subquery)) return (field as unknown as { _: { sql: Decoded } })._.sql.decoder;
  return (field as { sql: Decoded }).sql.decoder;
}

/**
 * Drizzle maps each row of a prepared statement field by field, asking of every field, on every row,
 * what kind of thing it is (prototype walks through its classes). On the hot path's wide rows (a
 * claim answers with every column of its task) that cost more than reading the row. This works each
 * field's decoder out once and maps the rows with them: the same values under the same keys, for a
 * flat selection; a nested one (`{ task: {...} }`, left joins) keeps drizzle's mapping.
 *
 * It sets the prepared query's result mapper, a field both drivers' prepared queries have and read
 * on every execution (compiled-rows.test.ts checks the result against drizzle's own mapping).
 */
export function withCompiledRows<S>(statement: S): S {
  const target = statement as MappedStatement;
  const fields = target.fields;
  if (!fields || fields.some((f) => f.path.length !== 1)) return statement;
  const keys = fields.map((f) => f.path[0] ?? '');
  const decoders = fields.map((f) => decoderOf(f.field));
  target.customResultMapper = (rows) =>
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const raw = row[i];
        // As drizzle's mapResultRow: null stays null, anything else goes through the decoder.
        out[keys[i] as string] = raw === null ? null : (decoders[i] as Decoder).mapFromDriverValue(raw);
      }
      return out;
    });
  return statement;
}
