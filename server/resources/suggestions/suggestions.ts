import { reportDay, type SuggestionList, type SuggestionQuery, type SuggestionReason } from '../../../shared/schemas';
import type { Actor } from '../../core/actor';
import { ForbiddenError } from '../../core/errors';
import { msg } from '../../core/messages';
import type { DomainContext } from '../../context';
import { presentPublicTask } from '../tasks/tasks-presenter';
import { canGetSuggestions } from './suggestions-policy';
import { suggestedTasks, weights, type SuggestionRow } from './suggestions-repo';

export const onlyHelpersGetSuggestions = msg('only_helpers_get_suggestions');

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Why a task scored what it did, one reason per term of the score (docs/suggestions.md). */
function reasonsOf(row: SuggestionRow): SuggestionReason[] {
  const priority = row.task.priority;
  const fairPart = 1 / row.communesSharing;
  const share = row.claimed === 0 ? 0 : row.held / row.claimed;
  const distancePoints = -weights.perKm * row.km;
  const reasons: SuggestionReason[] = [
    { kind: 'urgency', value: { priority }, points: weights.urgency[priority] },
    {
      kind: 'due',
      value: { hoursLeft: round(row.hoursLeft), overdue: row.hoursLeft < 0 },
      points: round(Math.min(weights.dueMax, Math.max(0, weights.dueHorizonHours - row.hoursLeft))),
    },
    { kind: 'distance', value: { km: round(row.km) }, points: round(distancePoints) },
  ];
  if (row.offerId !== null && row.perDay !== null && row.usedToday !== null)
    reasons.push({
      kind: 'offer',
      value: { offerId: row.offerId, perDay: row.perDay, usedToday: row.usedToday },
      points: row.usedToday < row.perDay ? weights.offerRoom : 0,
    });
  reasons.push({
    kind: 'fair_share',
    value: { share: round(share, 3), fairPart: round(fairPart, 3), factor: round(row.fairFactor, 2) },
    points: round(distancePoints * (row.fairFactor - 1)),
  });
  return reasons;
}

/**
 * The open tasks of the region the caller's commune may claim, best first, each with its reasons:
 * one statement scores and orders them all (suggestions-repo.ts).
 */
export async function suggestTasks(ctx: DomainContext, actor: Actor, query: SuggestionQuery): Promise<SuggestionList> {
  if (!canGetSuggestions(actor)) throw new ForbiddenError(onlyHelpersGetSuggestions);
  const now = ctx.clock.now();
  const rows = await suggestedTasks(ctx.db, {
    regionId: actor.regionId,
    communeId: actor.communeId,
    now,
    today: reportDay(now),
    limit: query.limit,
  });
  const [first] = rows;
  return {
    items: rows.map((row) => ({
      task: presentPublicTask(row.task),
      requestingCommuneName: row.requestingCommuneName,
      score: round(row.score, 2),
      reasons: reasonsOf(row),
    })),
    fairShare: first
      ? {
          share: round(first.claimed === 0 ? 0 : first.held / first.claimed, 3),
          fairPart: round(1 / first.communesSharing, 3),
          held: first.held,
          claimed: first.claimed,
        }
      : { share: 0, fairPart: 0, held: 0, claimed: 0 },
  };
}
