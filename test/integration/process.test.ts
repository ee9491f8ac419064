import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { taskInput } from '../factories';

const root = path.resolve(__dirname, '../..');
// The server from its sources with tsx, as `npm run dev:server` runs it (without --watch): one Node
// process, so signals reach the server itself. compiled.test.ts runs `npm start`'s compiled command.
const startArgs = ['--import', 'tsx', 'server/main.ts'];

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `npm start`'s command as a real process and waits for it to say where it listens. */
async function start(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, startArgs, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  started.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /ready at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

/** Sends a request and, once it is fully on the wire, asks the server to stop; resolves with its status. */
function postWhileStopping(server: Server, cookie: string, body: unknown): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}/api/v1/tasks/bulk`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.on('finish', () => server.child.kill('SIGTERM'));
    req.end(JSON.stringify(body));
  });
}

async function stop(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

const started: ChildProcess[] = [];

describe('the server process', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-process-'));
  });
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to start in production without DATA_KEY, saying why', async () => {
    const child = spawn(process.execPath, startArgs, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(40) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('DATA_KEY is required in production');
  });

  it('seeds the demo once, keeps the embedded data across a restart, and shuts down cleanly on SIGTERM', async () => {
    const env = { DATA_DIR: dataDir, DEMO_PASSWORD: 'demo-password-for-tests' };
    const first = await start(env);
    expect(first.output()).toContain('Demo password: demo-password-for-tests');
    const agent = request.agent(first.url);
    const login = await agent
      .post('/api/v1/auth/login')
      .send({ username: 'liege.manager', password: 'demo-password-for-tests' });
    expect(login.status).toBe(200);
    for (const username of [
      'seraing.clerk',
      'saintnicolas.clerk',
      'verviers.clerk',
      'liege.coordinator',
      'verviers.coordinator',
      'admin',
    ]) {
      const res = await request(first.url)
        .post('/api/v1/auth/login')
        .send({ username, password: 'demo-password-for-tests' });
      expect(res.status).toBe(200);
    }
    const communes = await agent.get('/api/v1/communes');
    expect((communes.body.items as { name: string; code: string }[]).map((c) => `${c.name} ${c.code}`)).toEqual(
      expect.arrayContaining([
        'Liège 62063',
        'Seraing 62096',
        'Herstal 62051',
        'Ans 62003',
        'Saint-Nicolas 62093',
        'Flémalle 62120',
        'Chaudfontaine 62022',
        'Visé 62108',
      ]),
    );
    const posted = await agent.post('/api/v1/tasks').send(taskInput({ title: 'Survives a restart' }));
    expect(posted.status).toBe(201);

    // A large batch under way when SIGTERM arrives is finished, not cut.
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const batchDone = postWhileStopping(
      first,
      cookie,
      Array.from({ length: 1000 }, (_, i) => taskInput({ title: `Batch ${i}`, citizen: undefined })),
    );
    expect(await first.exited).toBe(0);
    expect(await batchDone).toBe(201);
    expect(first.output()).toContain('shutdown complete');

    const second = await start(env);
    expect(second.output()).not.toContain('Demo password');
    // The session, the session secret and the data key all survived: the same cookie still works.
    const again = request.agent(second.url);
    const task = await again.get(`/api/v1/tasks/${posted.body.id}`).set('Cookie', cookie);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ title: 'Survives a restart', citizen: { fullName: 'Jeanne Dupont' } });
    const list = await again.get('/api/v1/tasks?q=Batch&limit=1').set('Cookie', cookie);
    expect(list.body.items).toHaveLength(1);
    expect(await stop(second)).toBe(0);
  });

  it('does not seed the demo in production unless SEED_DEMO=true', async () => {
    const env = {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATA_KEY: crypto.randomBytes(32).toString('hex'),
      SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
      DEMO_PASSWORD: 'demo-password-for-tests',
    };
    const server = await start(env);
    expect(server.output()).not.toContain('Demo password');
    const res = await request(server.url)
      .post('/api/v1/auth/login')
      .send({ username: 'liege.manager', password: 'demo-password-for-tests' });
    expect(res.status).toBe(401);
    expect(await stop(server)).toBe(0);
  });
});

// The docker-compose topology without Docker: two server processes on one PostgreSQL database.
const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  describe('two server processes on one PostgreSQL database', () => {
    it('share sessions, and a change posted through one reaches a socket on the other', async () => {
      const { Client } = await import('pg');
      const { connectBoard, nextEvent } = await import('../helpers/sockets');
      const name = `entraide_t_${process.env.ENTRAIDE_TEST_RUN ?? 'local'}_procs`;
      const admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.query(`create database "${name}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-proc-')));
      const env = (dir: string) => ({
        DATABASE_URL: url.toString(),
        DATA_DIR: dir,
        DEMO_PASSWORD: 'demo-password-for-tests',
        DATA_KEY: 'ab'.repeat(32),
        SESSION_SECRET: 'cd'.repeat(32),
      });
      try {
        // Both start at once: the advisory lock lets one migrate and seed while the other waits.
        const [a, b] = await Promise.all([start(env(dirs[0] ?? '')), start(env(dirs[1] ?? ''))]);
        const seeded = [a, b].filter((s) => s.output().includes('Demo password')).length;
        expect(seeded).toBe(1);
        const manager = request.agent(a.url);
        await manager
          .post('/api/v1/auth/login')
          .send({ username: 'liege.manager', password: 'demo-password-for-tests' })
          .expect(200);
        // A clerk signs in on A and opens the live board on B with the same session.
        const login = await request(a.url)
          .post('/api/v1/auth/login')
          .send({ username: 'seraing.clerk', password: 'demo-password-for-tests' });
        const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
        const socket = await connectBoard(b.url, cookie);
        const created = nextEvent(socket, 'task:created');
        const posted = await manager.post('/api/v1/tasks').send(taskInput({ title: 'Across processes' }));
        expect(posted.status).toBe(201);
        expect((await created).task).toMatchObject({ id: posted.body.id, title: 'Across processes' });
        socket.close();
        expect(await Promise.all([stop(a), stop(b)])).toEqual([0, 0]);
      } finally {
        await admin.query(`drop database if exists "${name}" with (force)`);
        await admin.end();
        for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
