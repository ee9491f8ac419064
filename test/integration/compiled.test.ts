import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';

const root = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
// `npm start`'s command, `node …args`, run here with this Node.
const [node, ...startArgs] = (packageJson.scripts.start ?? '').split(' ');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  // Set when the process exits, while this function waits.
  const server = { gone: false };
  void exited.then(() => {
    server.gone = true;
  });
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (server.gone) throw new Error(`the compiled server exited: ${output()}`);
    const status = await fetch(`${url}/readyz`).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`/readyz did not answer 200 within 45 s: ${output()}`);
}

describe('the compiled server (npm start, the Docker image)', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    // The incremental build of dist/ (tsc -b and the migrations): about a second when it is up to date.
    const build = spawnSync('npm', ['run', 'build:server'], {
      cwd: root,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (build.status !== 0) throw new Error(`npm run build:server failed: ${build.stdout}${build.stderr}`);
  }, 180_000);

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-compiled-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is what npm start and the Docker image run', () => {
    expect(node).toBe('node');
    expect(startArgs).toContain('dist/server/main.js');
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (.+)$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual([node, ...startArgs]);
  });

  it('starts from dist/ with Node alone, migrates, serves the API and the client, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    child = spawn(process.execPath, startArgs, {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
        DATA_KEY: crypto.randomBytes(32).toString('hex'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const running = child;
    const exited = new Promise<number | null>((resolve) => running.on('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(url, exited, () => output);

    // The migrations were found next to dist/server/db/client.js and applied.
    expect((await request(url).get('/readyz')).body).toMatchObject({ status: 'ready', database: 'pglite' });
    const openapi = await request(url).get('/api/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body).toHaveProperty('openapi');
    expect(openapi.body.paths).toHaveProperty(['/tasks']);
    // The client is found from dist/server/: client/dist when built, else client/placeholder.
    const page = await request(url).get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Entraide');
    // Served from the database the migrations created.
    expect((await request(url).post('/api/v1/auth/login').send({ username: 'nobody', password: 'wrong' })).status).toBe(
      401,
    );

    running.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('shutdown complete');
  });
});
