'use strict';
// The compiled server reads its migrations next to dist/server/db/client.js, as the sources do next to
// server/db/client.ts: mirror server/db/migrations (SQL and meta/*.json) there. Part of `npm run build:server`.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const from = path.join(root, 'server/db/migrations');
const to = path.join(root, 'dist/server/db/migrations');

if (!fs.existsSync(path.join(from, 'meta/_journal.json'))) {
  console.error(`copy-migrations: no migrations journal in ${path.relative(root, from)}`);
  process.exit(1);
}
// Removed first, so that a migration deleted or renamed in the sources does not linger in dist/.
fs.rmSync(to, { recursive: true, force: true });
fs.cpSync(from, to, { recursive: true });
