import { z } from 'zod';
import { Id, Journal, JournalQuery } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { wantsCsv } from '../reports/reports-endpoints';
import { communeJournal, exportJournal, onlyManagersAndCoordinatorsReadJournals } from './journal';
import { canReadJournals } from './journal-policy';

const CommuneParams = z.object({ id: Id.describe('commune id') });

/** The hand-back journal: what was done on a commune's behalf, for its own registers. */
export const journalEndpoints = [
  endpoint({
    method: 'get',
    path: '/communes/:id/journal',
    tag: 'communes',
    summary:
      "A commune's hand-back journal of a period (days from and to included, Europe/Brussels): every act on its tasks, oldest first; citizen data for its own managers only (each read recorded), never in the CSV (its managers, the region's coordinator)",
    permission: permission.policy(canReadJournals, onlyManagersAndCoordinatorsReadJournals),
    params: CommuneParams,
    query: JournalQuery,
    responses: {
      200: {
        description:
          'A page of the journal; the whole period as CSV (no citizen data) with format=csv or Accept: text/csv',
        schema: Journal,
      },
    },
    problems: { 400: 'A period that ends before it starts or covers more than a year, or a bad cursor' },
    handle: async ({ ctx, actor, params, query, req, res }) => {
      if (!wantsCsv(query.format, req)) return communeJournal(ctx, actor, params.id, query);
      await exportJournal(ctx, actor, params.id, query, res);
      return undefined;
    },
  }),
];
