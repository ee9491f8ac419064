import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { makeUser, makeWorld, postTask, type World } from '../factories';
import { ManualClock } from '../helpers/clock';
import { notificationCounts, writeCounts } from '../helpers/db-state';
import { drivers, startTestApp, type TestApp } from '../helpers/test-app';

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver that records each call and answers with `status` (changeable). */
async function startReceiver() {
  const calls: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = state.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/entraide`,
    calls,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real SMTP listener: every message it accepts, raw. */
async function startSmtp() {
  const messages: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Numbers what committed, fans it out, then runs the jobs that are due (the deliveries). */
async function deliver(app: TestApp) {
  await app.running.sequencer.flush();
  await app.running.notifier.idle();
  await app.running.scheduler.runDue();
}

/** The subject and text of a raw message: RFC 2047 words and quoted-printable undone (UTF-8). */
function readMail(raw: string) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at);
  const body = raw.slice(at).trim();
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const qp = (s: string) =>
    Buffer.from(
      s.replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  const subjectLine = /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? '';
  const subject = subjectLine
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, word: string) => qp(word.replace(/_/g, ' ')));
  return { subject, text: qp(body.replace(/=\r?\n/g, '')) };
}

function hmac(secret: string, body: string) {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

describe.each(drivers)('webhooks and e-mail on %s', (driver) => {
  let app: TestApp;
  let w: World;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const clock = new ManualClock(Date.now() + 60_000);
  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtp();
    app = await startTestApp(
      driver,
      {
        JOBS_CHECK_SECONDS: '0',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        SMTP_URL: smtp.url,
        PUBLIC_URL: 'https://entraide.example',
      },
      { clock },
    );
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
    await receiver.close();
    await smtp.close();
  });

  it('refuses a bad webhook with a 400 and changes nothing', async () => {
    const before = [await writeCounts(app), await notificationCounts(app)];
    const cases = [
      { url: 'ftp://example.org/x', events: ['task.claimed'] },
      { url: 'not a url', events: ['task.claimed'] },
      { url: receiver.url, events: ['task.exploded'] },
      { url: receiver.url, events: [] },
      { url: receiver.url, events: ['task.claimed', 'task.claimed'] },
      { url: `${app.url}/api/v1/tasks`, events: ['task.claimed'] },
      { url: receiver.url, events: ['task.claimed'], secret: 'mine' },
    ];
    for (const body of cases) {
      const res = await w.manager.agent.post('/api/v1/webhooks').send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    const self = await w.manager.agent.post('/api/v1/webhooks').send(cases[5]);
    expect(self.body.errors[0]).toMatchObject({ field: 'url', message: 'must not point at this server' });
    const unknown = await w.manager.agent.post('/api/v1/webhooks').send(cases[2]);
    expect(unknown.body.errors[0].field).toBe('events.0');
    expect([await writeCounts(app), await notificationCounts(app)]).toEqual(before);
  });

  it('calls a webhook with a valid signature, retries after a 500 with backoff, and logs each attempt', async () => {
    const created = await w.manager.agent
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, events: ['task.claimed', 'task.done'] })
      .expect(201);
    const { secret, id } = created.body as { secret: string; id: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = await w.manager.agent.get('/api/v1/webhooks').expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id, url: receiver.url, communeId: w.stricken.id })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    // Other scopes do not see it.
    expect((await w.coordinator.agent.get('/api/v1/webhooks').expect(200)).body.items).toEqual([]);
    expect((await w.foreignManager.agent.get(`/api/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await w.foreignManager.agent.delete(`/api/v1/webhooks/${id}`)).status).toBe(404);

    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await deliver(app);
    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0];
    if (!call) throw new Error('no call');
    expect(call.headers['entraide-signature']).toBe(hmac(secret, call.body));
    expect(call.headers['entraide-event']).toBe('task.claimed');
    const payload = JSON.parse(call.body);
    expect(payload).toMatchObject({
      event: 'task.claimed',
      task: {
        id: task.id,
        code: task.code,
        type: 'certificat_residence',
        status: 'claimed',
        requestingCommune: { id: w.stricken.id, name: w.stricken.name },
        holderCommune: { id: w.helper.id, name: w.helper.name },
      },
      actor: 'commune',
    });
    expect(call.body).not.toMatch(/Jeanne|Dupont|85\.07|mutuelle|Certificat [0-9a-f]{8}/);

    // The receiver fails: the delivery is logged and tried again once its backoff has passed.
    receiver.state.status = 500;
    const second = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${second.id}/claim`).expect(200);
    clock.advance(10_000);
    await deliver(app);
    expect(receiver.calls).toHaveLength(2);
    let log = (await w.manager.agent.get(`/api/v1/webhooks/${id}/deliveries`).expect(200)).body.items;
    expect(log[0]).toMatchObject({ event: 'task.claimed', status: 'pending' });
    expect(log[0].attempts).toEqual([expect.objectContaining({ statusCode: 500, error: 'answered 500' })]);
    expect(log[1]).toMatchObject({ status: 'delivered', attempts: [expect.objectContaining({ statusCode: 200 })] });

    receiver.state.status = 200;
    clock.advance(10_000);
    await deliver(app);
    expect(receiver.calls).toHaveLength(2);
    clock.advance(30_000);
    await deliver(app);
    expect(receiver.calls).toHaveLength(3);
    expect(receiver.calls[2]?.body).toBe(receiver.calls[1]?.body);
    log = (await w.manager.agent.get(`/api/v1/webhooks/${id}/deliveries`).expect(200)).body.items;
    expect(log[0].status).toBe('delivered');
    expect(log[0].attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);

    // An event the hook did not ask for is not sent; a deleted hook sends nothing more.
    await w.clerk.agent.post(`/api/v1/tasks/${second.id}/start`).send({ version: 2 }).expect(200);
    await w.manager.agent.delete(`/api/v1/webhooks/${id}`).expect(204);
    await w.clerk.agent.post(`/api/v1/tasks/${second.id}/complete`).send({ version: 3 }).expect(200);
    clock.advance(10_000);
    await deliver(app);
    expect(receiver.calls).toHaveLength(3);
    expect((await w.manager.agent.get('/api/v1/webhooks').expect(200)).body.items).toEqual([]);
  });

  it('gives up after a day of failures', async () => {
    receiver.state.status = 503;
    const created = await w.coordinator.agent
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, events: ['task.released'] })
      .expect(201);
    expect(created.body).toMatchObject({ regionId: w.region.id, communeId: null });
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    await w.clerk.agent
      .post(`/api/v1/tasks/${task.id}/release`)
      .send({ version: 2, reason: 'Plus de personnel' })
      .expect(200);
    for (let i = 0; i < 16; i++) {
      clock.advance(3 * 3_600_000);
      await deliver(app);
    }
    const log = (await w.coordinator.agent.get(`/api/v1/webhooks/${created.body.id}/deliveries`).expect(200)).body
      .items;
    expect(log[0].status).toBe('failed');
    expect(log[0].attempts.length).toBeGreaterThan(3);
    expect(log[0].attempts.every((a: { statusCode: number }) => a.statusCode === 503)).toBe(true);
    receiver.state.status = 200;
  });

  it('calls the webhooks of the communes a task concerns and of its region, never a neighbour’s nor another region’s', async () => {
    receiver.state.status = 200;
    const [helperManager, helper2Manager] = await Promise.all([
      makeUser(app, 'manager', { communeId: w.helper.id }),
      makeUser(app, 'manager', { communeId: w.helper2.id }),
    ]);
    const hooks = [
      ['requester', w.manager],
      ['holder', helperManager],
      ['region', w.coordinator],
      ['neighbour', helper2Manager],
      ['faraway', w.foreignManager],
    ] as const;
    const ids = [];
    for (const [who, owner] of hooks) {
      const created = await owner.agent
        .post('/api/v1/webhooks')
        .send({ url: `${receiver.url}?who=${who}`, events: ['task.claimed'] })
        .expect(201);
      ids.push([owner, created.body.id as string] as const);
    }
    try {
      const calledBefore = receiver.calls.length;
      const task = await postTask(w.manager);
      await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
      // The delivery job runs when it is due again by the test's clock.
      clock.advance(60_000);
      await deliver(app);
      const called = receiver.calls.slice(calledBefore).filter((c) => JSON.parse(c.body).task?.id === task.id);
      expect(called.map((c) => new URL(c.url, 'http://x').searchParams.get('who')).sort()).toEqual([
        'holder',
        'region',
        'requester',
      ]);
    } finally {
      for (const [owner, id] of ids) await owner.agent.delete(`/api/v1/webhooks/${id}`).expect(204);
    }
  });

  it('sends an e-mail through SMTP in the reader’s language, without citizen data', async () => {
    await w.manager.agent.patch('/api/v1/me').send({ locale: 'en', email: 'manager@example.org' }).expect(200);
    const task = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    clock.advance(10_000);
    await deliver(app);
    const mail = smtp.messages.find((m) => m.to.includes('manager@example.org'));
    if (!mail) throw new Error('no e-mail');
    const read = readMail(mail.raw);
    expect(read.subject).toBe(`Entraide – Residence certificate ${task.code}: claimed by ${w.helper.name}`);
    expect(read.text).toContain(`Open the task: https://entraide.example/#/tasks/${task.id}`);
    expect(mail.raw).not.toMatch(/Jeanne|Dupont|mutuelle/);

    await w.manager.agent.patch('/api/v1/me').send({ locale: 'fr' }).expect(200);
    const other = await postTask(w.manager);
    await w.clerk.agent.post(`/api/v1/tasks/${other.id}/claim`).expect(200);
    clock.advance(10_000);
    await deliver(app);
    expect(smtp.messages.filter((m) => m.to.includes('manager@example.org'))).toHaveLength(2);
    const fr = readMail(smtp.messages.at(-1)?.raw ?? '');
    expect(fr.subject).toBe(`Entraide – Certificat de résidence ${other.code} : prise en charge par ${w.helper.name}`);
    expect(fr.text).toContain(`Ouvrir la tâche : https://entraide.example/#/tasks/${other.id}`);
  });
});

describe.each(drivers)('webhook addresses on %s', (driver) => {
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp(driver, { JOBS_CHECK_SECONDS: '0' });
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app.stop();
  });

  it('refuses private, loopback and link-local addresses without WEBHOOK_ALLOW_PRIVATE', async () => {
    const before = [await writeCounts(app), await notificationCounts(app)];
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'http://10.1.2.3/x',
      'http://192.168.1.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[fe80::1]/x',
      'http://[::ffff:127.0.0.1]/x',
    ]) {
      const res = await w.coordinator.agent.post('/api/v1/webhooks').send({ url, events: ['task.claimed'] });
      expect({ url, status: res.status, message: res.body.errors?.[0]?.message }).toEqual({
        url,
        status: 400,
        message: 'must not point at a private, loopback or link-local address',
      });
    }
    expect([await writeCounts(app), await notificationCounts(app)]).toEqual(before);
  });
});
