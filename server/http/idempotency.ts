import crypto from 'node:crypto';
import type { Request } from 'express';
import { limits } from '../../shared/limits';
import type { Actor } from '../core/actor';
import { msg } from '../core/messages';
import { ConflictError, ValidationError } from '../core/errors';
import type { DomainContext } from '../context';
import { claimKey, completeKey, releaseKey } from '../db/idempotency';

export interface Answer {
  status: number;
  body: unknown;
}

const keyPattern = new RegExp(`^[\\x21-\\x7e]{1,${limits.idempotencyKeyMax}}$`);
const POLL_MS = 50;
const WAIT_MS = 10_000;

/** What makes two posts "the same": the method, the address with its query, the body's type and the body. */
function requestHash(req: Request): string {
  return crypto
    .createHash('sha256')
    .update(`${req.method}\n${req.originalUrl}\n${req.get('content-type') ?? ''}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a post under its `Idempotency-Key` header: the first post with a key runs and its answer is kept
 * (24 hours); a retry with the same key and the same request gets that answer again and changes nothing;
 * the same key with another request is a 409. A retry that arrives while the first is still under way
 * waits for its answer. A post that fails gives its key back, so a corrected retry may use it again.
 * Keys are the poster's own: an integration token's, or a user's. Integration tokens must send one.
 */
export async function idempotent(
  ctx: DomainContext,
  req: Request,
  actor: Actor,
  run: () => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  const key = req.get('idempotency-key');
  if (key === undefined) {
    if (actor.integration)
      throw new ValidationError(msg('idempotency_key_required'), [
        { field: 'Idempotency-Key', message: 'is required', code: 'required' },
      ]);
    return { ...(await run()), replayed: false };
  }
  if (!keyPattern.test(key))
    throw new ValidationError(msg('idempotency_key_invalid'), [
      {
        field: 'Idempotency-Key',
        message: `must be 1 to ${limits.idempotencyKeyMax} visible ASCII characters (a UUID, say)`,
        code: 'invalid',
      },
    ]);
  const scope = actor.integration ? `token:${actor.integration.tokenId}` : `user:${actor.id}`;
  const hash = requestHash(req);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const now = ctx.clock.now();
    const claim = await claimKey(ctx.db, {
      scope,
      key,
      requestHash: hash,
      now,
      expiredBefore: new Date(now.getTime() - limits.idempotencyKeyHours * 3_600_000),
    });
    if (claim.kind === 'first') break;
    if (claim.requestHash !== hash) throw new ConflictError(msg('idempotency_key_reused'), 'idempotency_key_reused');
    if (claim.answer) return { ...claim.answer, replayed: true };
    if (Date.now() > deadline) throw new ConflictError(msg('idempotency_key_in_use'), 'idempotency_key_in_use');
    await sleep(POLL_MS);
  }
  try {
    const answer = await run();
    await completeKey(ctx.db, scope, key, answer.status, answer.body);
    return { ...answer, replayed: false };
  } catch (err) {
    await releaseKey(ctx.db, scope, key);
    throw err;
  }
}
