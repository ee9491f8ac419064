// The package publishes its extensions under `exports` only, which this project's `node` module
// resolution does not read; Node itself resolves the path at run time.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';
  export const pg_trgm: Extension;
}
