'use strict';
// `node scripts/run-if-installed.js <npm script>` runs `npm run <npm script>` when the build tools, which
// are dev dependencies, are installed. `npm install` (postinstall) and `npm start` (prestart) build
// through it, so that a production install of an already built tree (`npm ci --omit=dev`, no
// TypeScript or Vite) still installs and starts, running the build it has.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const script = process.argv[2];
if (!script) {
  console.error('usage: node scripts/run-if-installed.js <npm script>');
  process.exit(2);
}

const missing = ['typescript', 'vite'].filter(
  (name) => !fs.existsSync(path.join(root, 'node_modules', name, 'package.json')),
);
if (missing.length > 0) {
  console.log(
    `entraide: ${missing.join(' and ')} not installed (dev dependencies omitted): "npm run ${script}" skipped`,
  );
  process.exit(0);
}

// The npm that runs this script, when there is one (it sets npm_execpath); else npm from the PATH.
const npmCli = process.env.npm_execpath;
const [command, args] = npmCli?.endsWith('.js')
  ? [process.execPath, [npmCli, 'run', script]]
  : ['npm', ['run', script]];
const result = spawnSync(command, args, {
  cwd: root,
  stdio: 'inherit',
  shell: command === 'npm' && process.platform === 'win32',
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
