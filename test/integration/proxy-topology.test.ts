import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import request from 'supertest';
import type { TaskBroadcast } from '../../shared/events';
import { makeWorld, PASSWORD, postTask, taskInput } from '../factories';
import { boardSync, nextEvent, type BoardClient } from '../helpers/sockets';
import { drivers, startSecondInstance, startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The deployment of docker-compose.yml, on the host: deploy/nginx.conf itself (only the upstream
 * addresses and the port changed) in front of two app instances on one PostgreSQL database, run by
 * Debian's nginx. No Docker engine runs on the machines this is tested on.
 */
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const deployed = fs.readFileSync(path.resolve(__dirname, '../../deploy/nginx.conf'), 'utf8');

/** deploy/nginx.conf with its two upstreams and its port replaced, and nothing else. */
export function renderForHost(conf: string, upstreams: [number, number], port: number): string {
  const servers = /^\s*server app1:3000;\n\s*server app2:3000;$/m;
  const listen = /^\s*listen 80;$/m;
  if (!servers.test(conf) || !listen.test(conf)) {
    throw new Error('deploy/nginx.conf no longer names app1:3000, app2:3000 and port 80: update this test');
  }
  return conf
    .replace(servers, `    server 127.0.0.1:${upstreams[0]};\n    server 127.0.0.1:${upstreams[1]};`)
    .replace(listen, `    listen 127.0.0.1:${port};`);
}

describe('deploy/nginx.conf as the host runs it', () => {
  it('changes only the upstream addresses and the port', () => {
    const rendered = renderForHost(deployed, [4101, 4102], 4100);
    const before = deployed.split('\n');
    const after = rendered.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed.map((l) => l.trim())).toEqual([
      'server 127.0.0.1:4101;',
      'server 127.0.0.1:4102;',
      'listen 127.0.0.1:4100;',
    ]);
    expect(() => renderForHost('upstream x { server a:1; }', [1, 2], 3)).toThrow(/update this test/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Proxy {
  url: string;
  stop(): Promise<void>;
}

/** Debian's nginx in the foreground, with its files in a folder of its own. */
async function startNginx(upstreams: [number, number]): Promise<Proxy> {
  if (!fs.existsSync(NGINX)) {
    throw new Error(`${NGINX} is missing: install Debian's nginx (apt-get install -y nginx), as .ci/run does`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-nginx-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'entraide.conf'), renderForHost(deployed, upstreams, port));
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
      `  include ${dir}/entraide.conf;`,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const ok = await request(url)
      .get('/healthz')
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through `url` as a browser would, and answers the session cookie. */
async function signIn(url: string, username: string): Promise<string> {
  const res = await request(url).post('/api/v1/auth/login').send({ username, password: PASSWORD }).expect(200);
  return String(res.headers['set-cookie']).split(';')[0] ?? '';
}

const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('two instances behind nginx on one %s database', (driver) => {
    it('reuses its connections to the instances, upgrades sockets, carries claims across instances, and resyncs a client that loses its instance', async () => {
      const a = await startTestApp(driver);
      const b = await startSecondInstance(a);
      const proxy = await startNginx([Number(new URL(a.url).port), Number(new URL(b.url).port)]);
      const stopped = new Set<TestApp>();
      let socket: BoardClient | undefined;
      try {
        const w = await makeWorld(a);
        // Signing in through nginx works, and so does a page's own Origin (the Host nginx passes on).
        const cookie = await signIn(proxy.url, w.clerk.username);
        await request(proxy.url)
          .post('/api/v1/auth/logout')
          .set('Cookie', await signIn(proxy.url, w.clerk.username))
          .set('Origin', proxy.url)
          .expect(204);
        // nginx reuses its connections to the instances rather than opening one per request.
        let opened = 0;
        const count = () => opened++;
        for (const instance of [a, b]) instance.running.server.on('connection', count);
        for (let i = 0; i < 5; i++) await request(proxy.url).get('/api/v1/me').set('Cookie', cookie).expect(200);
        for (const instance of [a, b]) instance.running.server.off('connection', count);
        expect(opened).toBeLessThanOrEqual(1);
        // Every spelling of /metrics stops at nginx.
        for (const p of ['/metrics', '/metrics/', '/METRICS']) await request(proxy.url).get(p).expect(404);

        // A browser-like socket: long-polling first, then the WebSocket upgrade through nginx.
        const client: BoardClient = io(proxy.url, {
          transports: ['polling', 'websocket'],
          reconnectionDelay: 100,
          reconnectionDelayMax: 500,
          forceNew: true,
          extraHeaders: { cookie, origin: proxy.url },
        });
        socket = client;
        let lastSeq = 0;
        const seen = (p: TaskBroadcast) => (lastSeq = Math.max(lastSeq, p.seq));
        client.on('task:created', seen);
        client.on('task:updated', seen);
        await new Promise<void>((resolve, reject) => {
          client.once('connect', () => resolve());
          client.once('connect_error', reject);
        });
        await new Promise<void>((resolve) => {
          if (client.io.engine.transport.name === 'websocket') resolve();
          else client.io.engine.once('upgrade', () => resolve());
        });
        const holder = a.running.realtime.io.engine.clientsCount === 1 ? a : b;
        const other = holder === a ? b : a;
        expect(other.running.realtime.io.engine.clientsCount).toBe(0);

        // A claim made on the other instance reaches the socket held by this one.
        const clerk2 = await signIn(other.url, w.clerk2.username);
        const first = await postTask(w.manager);
        await nextEvent(client, 'task:created', (p) => p.task.id === first.id);
        const claimed = nextEvent(client, 'task:updated', (p) => p.task.id === first.id);
        await request(other.url).post(`/api/v1/tasks/${first.id}/claim`).set('Cookie', clerk2).expect(200);
        expect((await claimed).task).toMatchObject({ status: 'claimed', claimedByCommuneId: w.helper2.id });

        // The instance holding the socket goes away; a claim is made meanwhile on the survivor.
        const lost = new Promise<string>((resolve) => client.once('disconnect', resolve));
        // Listened for from now: the client may well be back before the claims below are made.
        const back = new Promise<void>((resolve) => client.io.once('reconnect', () => resolve()));
        await holder.running.stop();
        stopped.add(holder);
        // A lost connection, not a sign-out: the client keeps trying.
        expect(await lost).toBe('transport close');
        const seenBeforeLoss = lastSeq;
        const posted = await request(other.url)
          .post('/api/v1/tasks')
          .set('Cookie', w.manager.cookie)
          .send(taskInput())
          .expect(201);
        const second = posted.body as { id: string };
        await request(other.url).post(`/api/v1/tasks/${second.id}/claim`).set('Cookie', clerk2).expect(200);

        // The client comes back through nginx, on the survivor, and asks for what it missed.
        await back;
        expect(other.running.realtime.io.engine.clientsCount).toBe(1);
        const sync = await boardSync(client, { since: seenBeforeLoss });
        if (!sync.ok) throw new Error(sync.problem.detail);
        const missed = sync.page.items.flatMap((c) => ('task' in c ? [c.task] : []));
        expect(missed.filter((t) => t.id === second.id).map((t) => t.status)).toEqual(['open', 'claimed']);
        expect(missed.every((t) => t.id === second.id)).toBe(true);
      } finally {
        socket?.close();
        await proxy.stop();
        if (!stopped.has(b)) await b.stop();
        else fs.rmSync(b.config.dataDir, { recursive: true, force: true });
        // a owns the database: it is dropped even when its instance was the one that went away.
        if (stopped.has(a)) await a.stop().catch(() => undefined);
        else await a.stop();
      }
    });
  });
}
