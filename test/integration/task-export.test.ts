import { parse } from 'csv-parse/sync';
import { postTask, taskInput } from '../factories';
import { writeCounts } from '../helpers/db-state';
import { drivers } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

describe.each(drivers)('tasks in CSV, and citizen data kept out of free text, on %s', (driver) => {
  const t = useWorld(driver);

  it('answers 401, then 400 to a bad filter, then 403 to a clerk, then the filtered tasks without citizen data', async () => {
    expect((await t.app.anonymous().get('/api/v1/tasks/export.csv')).status).toBe(401);
    const bad = await t.w.coordinator.agent.get('/api/v1/tasks/export.csv?priority=extreme');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'priority' });
    expect((await t.w.clerk.agent.get('/api/v1/tasks/export.csv')).status).toBe(403);

    const formula = await postTask(t.w.manager, { title: '=HYPERLINK("http://evil.example")', priority: 'urgent' });
    const plain = await postTask(t.w.manager, { priority: 'low' });
    const res = await t.w.coordinator.agent.get('/api/v1/tasks/export.csv?priority=urgent').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse<Record<string, string>>(res.text, { columns: true, bom: true });
    const ids = rows.map((r) => r.id);
    expect(ids).toContain(formula.id);
    expect(ids).not.toContain(plain.id);
    const row = rows.find((r) => r.id === formula.id);
    expect(row).toMatchObject({
      code: formula.code,
      requesting_commune: t.w.stricken.name,
      priority: 'urgent',
      status: 'open',
    });
    // The spreadsheet reads a text, not a formula; and nothing of the citizen is there.
    expect(row?.title).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(res.text).not.toContain('Jeanne Dupont');
    expect(res.text).not.toContain('85.07.30');
    expect(Object.keys(row ?? {})).not.toEqual(expect.arrayContaining(['citizen']));
    // The export is on the DPO's trail.
    const trail = await t.w.dpo.agent.get('/api/v1/audit?kind=export').expect(200);
    expect(trail.body.items[0]).toMatchObject({
      actorUserId: t.w.coordinator.id,
      detail: { of: 'tasks', priority: 'urgent' },
    });
  });

  it('refuses a national register number in a title, details, an outcome or a reason, and writes nothing', async () => {
    const before = await writeCounts(t.app);
    const post = await t.w.manager.agent.post('/api/v1/tasks').send(taskInput({ details: 'NN 85.07.30-033.28' }));
    expect(post.status).toBe(400);
    expect(post.body.errors[0]).toMatchObject({
      field: 'details',
      code: 'citizen_data_in_text',
      message: 'must not hold a national register number: enter it in the citizen fields, which are encrypted',
    });
    const bulk = await t.w.manager.agent
      .post('/api/v1/tasks/bulk')
      .send([taskInput(), taskInput({ title: 'Pour 85073003328' })]);
    expect(bulk.status).toBe(400);
    expect(bulk.body.errors[0]).toMatchObject({ row: 2, field: 'title', code: 'citizen_data_in_text' });
    expect(await writeCounts(t.app)).toEqual(before);

    const task = await postTask(t.w.manager);
    await t.w.clerk.agent.post(`/api/v1/tasks/${task.id}/claim`).expect(200);
    const release = await t.w.clerk.agent
      .post(`/api/v1/tasks/${task.id}/release`)
      .send({ version: 2, reason: 'Le 85 07 30 033 28 est injoignable' });
    expect(release.status).toBe(400);
    expect(release.body.errors[0]).toMatchObject({ field: 'reason', code: 'citizen_data_in_text' });
    // The template shows the rule: its example puts no citizen in the title.
    const template = (await t.w.manager.agent.get('/api/v1/tasks/import-template.csv')).text;
    const example = parse<Record<string, string>>(template, { columns: true });
    expect(example[0]?.title).toBe('Certificat de résidence');
  });
});
