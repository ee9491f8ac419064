import { Task } from '../../../shared/schemas';
import { call, json } from './client';

/** The holder's question to the requesting commune, and its answer (the task waits in between). */
export const questionsApi = {
  ask: (taskId: string, version: number, text: string) =>
    call(Task, `/tasks/${taskId}/questions`, json({ version, text })),
  answer: (taskId: string, version: number, text: string) =>
    call(Task, `/tasks/${taskId}/answers`, json({ version, text })),
};
