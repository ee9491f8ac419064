import { SuggestionList, SuggestionQuery } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { onlyHelpersGetSuggestions, suggestTasks } from './suggestions';
import { canGetSuggestions } from './suggestions-policy';

/** The tasks a helping commune should take next (SPEC.md, Crisis scale; docs/suggestions.md). */
export const suggestionsEndpoints = [
  endpoint({
    method: 'get',
    path: '/tasks/suggested',
    tag: 'tasks',
    summary:
      'The open tasks of my region my commune may claim, best first (clerk, manager), each with its reasons: ' +
      "urgency, due date, distance to the requesting commune, my commune's capacity offer and its fair share",
    permission: permission.policy(canGetSuggestions, onlyHelpersGetSuggestions),
    query: SuggestionQuery,
    responses: { 200: { description: 'The suggestions, best first', schema: SuggestionList } },
    handle: ({ ctx, actor, query }) => suggestTasks(ctx, actor, query),
  }),
];
