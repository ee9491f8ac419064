import { z } from 'zod';
import { ChangesPage, Problem } from './schemas';
import { CommuneLoad } from './schemas/communes';
import { Incident } from './schemas/incidents';
import { Notification } from './schemas/notifications';
import { PublicTask } from './schemas/tasks';

/**
 * The live board's contract: what the server pushes and what a client may ask, typed on both sides
 * (`Server<ClientToServerEvents, ServerToClientEvents>` and `Socket<ServerToClientEvents, ClientToServerEvents>`).
 * Every broadcast carries the global sequence number of the event it comes from; none carries citizen data.
 */
const Sequenced = {
  seq: z.number().int(),
  /** The sequence number of the region's previous event (0 if none): a client that has not seen it missed something. */
  prev: z.number().int(),
};
export const TaskBroadcast = z.object({ ...Sequenced, task: PublicTask });
export type TaskBroadcast = z.infer<typeof TaskBroadcast>;
export const IncidentBroadcast = z.object({ ...Sequenced, incident: Incident });
export type IncidentBroadcast = z.infer<typeof IncidentBroadcast>;
/** Loads of the communes touched by the events up to `seq`. Derived data: no gap detection on it. */
export const LoadBroadcast = z.object({ seq: z.number().int(), loads: z.array(CommuneLoad) });
export type LoadBroadcast = z.infer<typeof LoadBroadcast>;

export const BoardSyncRequest = z.strictObject({
  since: z.number({ error: 'must be a sequence number' }).int().min(0, 'must be 0 or more'),
});
export type BoardSyncRequest = z.infer<typeof BoardSyncRequest>;

/** An acknowledgement: the page of changes, or a problem document. */
export type BoardSyncAck = { ok: true; page: ChangesPage } | { ok: false; problem: Problem };

/** Presence: the task page a socket shows (one at a time), and who else has that task open. */
export const TaskViewRequest = z.strictObject({ taskId: z.uuid({ error: 'must be a task id' }) });
export type TaskViewRequest = z.infer<typeof TaskViewRequest>;
export const TaskViewer = z.object({ id: z.uuid(), displayName: z.string(), communeName: z.string().nullable() });
export type TaskViewer = z.infer<typeof TaskViewer>;
/** Everyone who has the task open, on any instance, each person once, by name. No citizen data. */
export const TaskViewers = z.object({ taskId: z.uuid(), users: z.array(TaskViewer) });
export type TaskViewers = z.infer<typeof TaskViewers>;
export type TaskViewAck = { ok: true; viewers: TaskViewers } | { ok: false; problem: Problem };

export const NotificationCreated = z.object({ notification: Notification });
export type NotificationCreated = z.infer<typeof NotificationCreated>;

export interface ServerToClientEvents {
  'task:created': (payload: TaskBroadcast) => void;
  'task:updated': (payload: TaskBroadcast) => void;
  'incident:updated': (payload: IncidentBroadcast) => void;
  'load:updated': (payload: LoadBroadcast) => void;
  'task:viewers': (payload: TaskViewers) => void;
  /** A new notification in the user's own inbox (their room `user:<id>`), worded in their language. */
  'notification:created': (payload: NotificationCreated) => void;
}

export interface ClientToServerEvents {
  'board:sync': (request: BoardSyncRequest, ack: (answer: BoardSyncAck) => void) => void;
  /** This socket now shows that task's page (and no other): answered with who has it open. */
  'task:view': (request: TaskViewRequest, ack: (answer: TaskViewAck) => void) => void;
  /** This socket no longer shows a task page. */
  'task:leave': () => void;
}

/** Why the server refuses a connection: the `message` of the client's `connect_error`. */
export const connectErrors = {
  unauthenticated: 'Please sign in first: this connection has no valid session.',
  secondFactorRequired: 'Your role requires a second factor: enrol one before following the board.',
} as const;
