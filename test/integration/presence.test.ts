import { TaskViewers, type TaskViewAck } from '../../shared/events';
import { makeWorld, postTask } from '../factories';
import { connectBoard, nextEvent, type BoardClient } from '../helpers/sockets';
import { drivers, startSecondInstance, startTestApp } from '../helpers/test-app';
import { useWorld } from '../helpers/use-test-app';

function view(socket: BoardClient, request: unknown): Promise<TaskViewAck> {
  return new Promise((resolve) => {
    (socket.emit as (event: string, ...args: unknown[]) => void)('task:view', request, resolve);
  });
}

const names = (payload: TaskViewers) => payload.users.map((u) => u.id);

describe.each(drivers)('presence on a task page on %s', (driver) => {
  const t = useWorld(driver);
  const open: BoardClient[] = [];
  const connect = async (cookie: string) => {
    const socket = await connectBoard(t.app.url, cookie);
    open.push(socket);
    return socket;
  };
  afterEach(() => {
    for (const socket of open.splice(0)) socket.close();
  });

  it('tells everyone on a task page who else has it open, live, and never more than their names', async () => {
    const task = await postTask(t.w.manager);
    const manager = await connect(t.w.manager.cookie);
    const clerk = await connect(t.w.clerk.cookie);

    const first = await view(manager, { taskId: task.id });
    if (!first.ok) throw new Error(first.problem.detail);
    expect(names(first.viewers)).toEqual([t.w.manager.id]);

    const joined = nextEvent(manager, 'task:viewers');
    const second = await view(clerk, { taskId: task.id });
    if (!second.ok) throw new Error(second.problem.detail);
    expect(new Set(names(second.viewers))).toEqual(new Set([t.w.manager.id, t.w.clerk.id]));
    const seen = await joined;
    expect(new Set(names(seen))).toEqual(new Set([t.w.manager.id, t.w.clerk.id]));
    // Names and communes only: the strict schema refuses anything else.
    expect(TaskViewers.strict().safeParse(seen).success).toBe(true);
    expect(seen.users.find((u) => u.id === t.w.clerk.id)?.communeName).toBe(t.w.helper.name);

    // The same person twice (two tabs) is one viewer.
    const secondTab = await connect(t.w.clerk.cookie);
    const again = await view(secondTab, { taskId: task.id });
    expect(again.ok && again.viewers.users).toHaveLength(2);

    // Leaving, and moving to another task, are seen by the others.
    secondTab.close();
    const left = nextEvent(manager, 'task:viewers', (p) => p.users.length === 1);
    clerk.emit('task:leave');
    expect(names(await left)).toEqual([t.w.manager.id]);

    const other = await postTask(t.w.manager);
    await view(clerk, { taskId: task.id });
    const moved = nextEvent(manager, 'task:viewers', (p) => p.users.length === 1);
    await view(clerk, { taskId: other.id });
    expect(names(await moved)).toEqual([t.w.manager.id]);

    // A closed connection leaves too.
    const clerkBack = nextEvent(manager, 'task:viewers', (p) => p.users.length === 2);
    await view(clerk, { taskId: task.id });
    await clerkBack;
    const gone = nextEvent(manager, 'task:viewers', (p) => p.users.length === 1);
    clerk.close();
    expect(names(await gone)).toEqual([t.w.manager.id]);
  });

  it('answers a task of another region as not found, and tells nobody there of the visitor', async () => {
    const task = await postTask(t.w.manager);
    const manager = await connect(t.w.manager.cookie);
    await view(manager, { taskId: task.id });
    const heard: TaskViewers[] = [];
    manager.on('task:viewers', (p) => heard.push(p));

    const foreign = await connect(t.w.foreignClerk.cookie);
    const answer = await view(foreign, { taskId: task.id });
    expect(answer).toMatchObject({ ok: false, problem: { status: 404 } });
    const admin = await connect(t.w.admin.cookie);
    expect(await view(admin, { taskId: task.id })).toMatchObject({ ok: false, problem: { status: 404 } });
    const unknown = await view(foreign, { taskId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown).toMatchObject({ ok: false, problem: { status: 404 } });

    // A round trip on the manager's socket: anything sent before it has arrived.
    await view(manager, { taskId: task.id });
    expect(heard).toEqual([]);
  });

  it('refuses a malformed request with a problem, and changes nothing', async () => {
    const task = await postTask(t.w.manager);
    const clerk = await connect(t.w.clerk.cookie);
    for (const bad of [{ taskId: 'not-a-task' }, {}, { taskId: task.id, extra: 1 }, 'text', null]) {
      const answer = await view(clerk, bad);
      expect(answer).toMatchObject({ ok: false, problem: { status: 400 } });
    }
    const bad = await view(clerk, { taskId: 'x' });
    expect(!bad.ok && bad.problem.errors?.[0]).toMatchObject({ field: 'taskId', message: 'must be a task id' });
    // Still on no page: the first real view shows the clerk alone.
    const ok = await view(clerk, { taskId: task.id });
    expect(ok.ok && names(ok.viewers)).toEqual([t.w.clerk.id]);
  });
});

const servers = drivers.filter((d) => d === 'postgres');
if (servers.length > 0) {
  describe.each(servers)('presence across two instances on one %s database', (driver) => {
    it('shows a viewer on instance B to a viewer on instance A', async () => {
      const a = await startTestApp(driver);
      const b = await startSecondInstance(a);
      const sockets: BoardClient[] = [];
      try {
        const w = await makeWorld(a);
        const task = await postTask(w.manager);
        const onA = await connectBoard(a.url, w.manager.cookie);
        const onB = await connectBoard(b.url, w.clerk.cookie);
        sockets.push(onA, onB);
        await view(onA, { taskId: task.id });
        const seenOnA = nextEvent(onA, 'task:viewers', (p) => p.users.length === 2);
        const answer = await view(onB, { taskId: task.id });
        expect(answer.ok && new Set(names(answer.viewers))).toEqual(new Set([w.manager.id, w.clerk.id]));
        expect(new Set(names(await seenOnA))).toEqual(new Set([w.manager.id, w.clerk.id]));
        const leftB = nextEvent(onA, 'task:viewers', (p) => p.users.length === 1);
        onB.close();
        expect(names(await leftB)).toEqual([w.manager.id]);
      } finally {
        for (const s of sockets) s.close();
        await b.stop();
        await a.stop();
      }
    });
  });
}
