import { taskInput } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

const header =
  'type,title,details,priority,dueAt,deliveryMode,incidentId,citizenFullName,citizenNationalNumber,citizenBirthDate,citizenPhone,citizenEmail,citizenAddress,slotStart,slotDurationMinutes,slotPlace';
/** An appointment's slot in a CSV row: a week from now. */
const slotStart = new Date(Date.now() + 7 * 86_400_000).toISOString();

describe.each(drivers)('bulk posting on %s', (driver) => {
  const t = useWorld(driver);

  it('answers 401 without a session and 403 to a clerk', async () => {
    expect((await t.app.anonymous().post('/api/v1/tasks/bulk').send([taskInput()])).status).toBe(401);
    expect((await t.w.clerk.agent.post('/api/v1/tasks/bulk').send([taskInput()])).status).toBe(403);
  });

  it('posts a JSON array all at once and reports each row', async () => {
    const res = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .send([taskInput(), taskInput({ priority: 'urgent' }), taskInput({ citizen: undefined })]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ dryRun: false, count: 3 });
    expect((res.body.items as { row: number; task: { status: string } }[]).map((i) => [i.row, i.task.status])).toEqual([
      [1, 'open'],
      [2, 'open'],
      [3, 'open'],
    ]);
    expect(res.body.items[1].task.priority).toBe('urgent');
    expect(res.body.items[2].task.hasCitizenData).toBe(false);
  });

  it('writes nothing when one row of a JSON array is bad, and names every bad row', async () => {
    const before = await writeCounts(t.app);
    const res = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .send([
        taskInput(),
        taskInput({ priority: 'asap' as 'urgent' }),
        taskInput(),
        taskInput({ type: 'unknown_type' }),
        'not a task',
      ]);
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('No task was posted: 3 row(s) need correcting.');
    expect(res.body.errors).toEqual([
      {
        row: 2,
        field: 'priority',
        message: 'must be urgent, high, normal or low',
        code: 'one_of',
        params: { values: 'urgent, high, normal, low' },
      },
      {
        row: 4,
        field: 'type',
        message: 'is not a known task type (unknown_type)',
        code: 'unknown_task_type',
        params: { type: 'unknown_type' },
      },
      { row: 5, field: 'body', message: expect.any(String), code: 'wrong_type', params: { expected: 'object' } },
    ]);
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('imports CSV with the template header, commas or semicolons, and citizen columns', async () => {
    const template = await t.w.manager.agent.get('/api/v1/tasks/import-template.csv');
    expect(template.status).toBe(200);
    expect(template.headers['content-type']).toMatch(/text\/csv/);
    expect(template.text.split('\n')[0]).toBe(header);
    const csv =
      `${header}\ncertificat_residence,Certificat pour Mme Leroy,,high,,post,,Anne Leroy,,1990-01-02,,anne@example.org,\n` +
      `rdv_passeport,"Passeport, urgent",,urgent,2026-12-01T10:00:00Z,pickup_helper,,,,,,,,${slotStart},20,Guichet 2\n`;
    const res = await t.w.manager.agent.post('/api/v1/tasks/bulk').set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(2);
    expect(res.body.items[0]).toMatchObject({
      row: 2,
      task: { priority: 'high', deliveryMode: 'post', hasCitizenData: true },
    });
    expect(res.body.items[1]).toMatchObject({
      row: 3,
      task: {
        title: 'Passeport, urgent',
        dueAt: '2026-12-01T10:00:00.000Z',
        hasCitizenData: false,
        slot: { start: new Date(slotStart).toISOString(), durationMinutes: 20, place: 'Guichet 2' },
      },
    });
    const detail = await t.w.manager.agent.get(`/api/v1/tasks/${res.body.items[0].task.id}`);
    expect(detail.body.citizen).toEqual({ fullName: 'Anne Leroy', birthDate: '1990-01-02', email: 'anne@example.org' });
    const semicolons = `${header.replaceAll(',', ';')}\ncertificat_residence;Avec point-virgule;;;;;;;;;;;\n`;
    const res2 = await t.w.manager.agent.post('/api/v1/tasks/bulk').set('Content-Type', 'text/csv').send(semicolons);
    expect(res2.status).toBe(201);
  });

  it('reports each bad CSV row by its spreadsheet line and writes nothing', async () => {
    const before = await writeCounts(t.app);
    const csv =
      `${header}\n` +
      'certificat_residence,Bon,,,,,,,,,,,\n' +
      'certificat_residence,,,,,,,,,,,,\n' +
      'certificat_residence,Mauvais NN,,,,,,Paul Petit,12345678901,,,,\n' +
      'certificat_residence,Date,,,demain,,,,,,,,\n';
    const res = await t.w.manager.agent.post('/api/v1/tasks/bulk').set('Content-Type', 'text/csv').send(csv);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { row: 3, field: 'title', message: 'is required', code: 'required' },
      {
        row: 4,
        field: 'citizen.nationalNumber',
        message: 'must be a valid national register number (11 digits)',
        code: 'national_number',
      },
      {
        row: 5,
        field: 'dueAt',
        message: 'must be a date and time in ISO 8601 format, e.g. 2026-11-24T17:00:00Z',
        code: 'invalid_format',
        params: { format: 'datetime' },
      },
    ]);
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('refuses malformed CSV, unknown columns, an empty batch, too many rows and an oversized body, writing nothing', async () => {
    const before = await writeCounts(t.app);
    const unclosed = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .set('Content-Type', 'text/csv')
      .send(`${header}\ncertificat_residence,"open quote,,,\n`);
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.detail).toMatch(/^The CSV file could not be read/);
    const columns = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .set('Content-Type', 'text/csv')
      .send('type,title,colour\ncertificat_residence,x,red\n');
    expect(columns.status).toBe(400);
    expect(columns.body.errors).toEqual([
      { row: 1, field: 'colour', message: 'is not a column of the template', code: 'unknown_column' },
    ]);
    const empty = await t.w.manager.agent.post('/api/v1/tasks/bulk').send([]);
    expect(empty.status).toBe(400);
    const object = await t.w.manager.agent.post('/api/v1/tasks/bulk').send({ tasks: [] });
    expect(object.status).toBe(400);
    expect(object.body.errors).toEqual([
      { field: 'body', message: 'must be a JSON array or text/csv', code: 'wrong_type', params: { expected: 'array' } },
    ]);
    const many = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .send(Array.from({ length: 1001 }, () => ({ type: 'x', title: 't' })));
    expect(many.status).toBe(400);
    expect(many.body.detail).toBe('A batch holds at most 1000 tasks; this one has 1001. Split it.');
    const huge = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .set('Content-Type', 'text/csv')
      .send(`${header}\n${'x'.repeat(3 * 1024 * 1024)}\n`);
    expect(huge.status).toBe(413);
    const badQuery = await t.w.manager.agent.post('/api/v1/tasks/bulk?dryRun=perhaps').send([taskInput()]);
    expect(badQuery.status).toBe(400);
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('answers a retried batch whose tasks exist already with 200 and writes nothing', async () => {
    const rows = [taskInput({ id: crypto.randomUUID() }), taskInput({ id: crypto.randomUUID() })];
    const first = await t.w.manager.agent.post('/api/v1/tasks/bulk').send(rows);
    expect(first.status).toBe(201);
    const before = await writeCounts(t.app);
    const retry = await t.w.manager.agent.post('/api/v1/tasks/bulk').send(rows);
    expect(retry.status).toBe(200);
    expect((retry.body.items as { task: { id: string } }[]).map((i) => i.task.id)).toEqual(rows.map((r) => r.id));
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('checks a batch without writing it when asked for a dry run', async () => {
    const before = await writeCounts(t.app);
    const res = await t.w.manager.agent.post('/api/v1/tasks/bulk?dryRun=true').send([taskInput(), taskInput()]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dryRun: true, count: 2, items: [{ row: 1 }, { row: 2 }] });
    expect(await writeCounts(t.app)).toEqual(before);
  });

  it('posts 1,000 rows in one transaction', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => taskInput({ title: `Lot ${i}` }));
    const res = await t.w.manager.agent.post('/api/v1/tasks/bulk').send(rows);
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(1000);
    expect(new Set((res.body.items as { task: { id: string } }[]).map((i) => i.task.id)).size).toBe(1000);
  });
});
