import crypto from 'node:crypto';
import { generateTaskCode, parseTaskCode, taskCodeKey } from '../../../shared/task-code';
import { ValidationError } from '../../core/errors';
import type { Executor } from '../../db/client';
import { takenTaskCodes } from './tasks-repo';

const random = (n: number) => crypto.randomInt(n);

/**
 * `count` fresh codes for a commune's prefix, distinct from each other and from every code stored
 * (read as codes are told apart, I and L alike). About 900,000 codes exist per prefix, so a draw
 * seldom meets a stored one; the unique index settles the race of two posts drawing the same code
 * at the same moment (task-posting.ts tries again).
 */
export async function freshTaskCodes(db: Executor, prefix: string, count: number): Promise<string[]> {
  const chosen = new Map<string, string>();
  for (let round = 0; chosen.size < count; round++) {
    if (round > 20) throw new Error(`no free task code found for ${prefix}`);
    const drawn = new Map<string, string>();
    while (chosen.size + drawn.size < count) {
      const code = generateTaskCode(prefix, random);
      const key = taskCodeKey(code);
      if (!chosen.has(key)) drawn.set(key, code);
    }
    const taken = new Set((await takenTaskCodes(db, [...drawn.keys()])).map(taskCodeKey));
    for (const [key, code] of drawn) if (!taken.has(key)) chosen.set(key, code);
  }
  return [...chosen.values()];
}

export const invalidCodeMessage = 'this code is not valid: check the characters';

/** A code as typed, read into the form it is stored in; a malformed code or a wrong check character is refused. */
export function readTaskCode(input: string): string {
  const parsed = parseTaskCode(input);
  if (parsed.ok) return parsed.code;
  throw new ValidationError(`The task code ${input.slice(0, 20)} is not valid: check the characters.`, [
    { field: 'code', message: invalidCodeMessage, code: 'task_code', params: { reason: parsed.reason } },
  ]);
}
