import { z } from 'zod';
import {
  CapacityOffer,
  CapacityOfferList,
  SuggestionList,
  type CapacityOfferCreate,
  type CapacityOfferUpdate,
} from '../../../shared/schemas';
import { call, json } from './client';

/** The tasks suggested to the caller's commune (docs/suggestions.md) and the region's capacity offers. */
export const suggestionsApi = {
  suggested: (limit = 20) => call(SuggestionList, `/tasks/suggested?limit=${limit}`),
  offers: async (query: { communeId?: string; current?: boolean } = {}) => {
    const params = new URLSearchParams();
    if (query.communeId) params.set('communeId', query.communeId);
    if (query.current) params.set('current', 'true');
    return (await call(CapacityOfferList, `/capacity-offers?${params.toString()}`)).items;
  },
  createOffer: (body: CapacityOfferCreate) => call(CapacityOffer, '/capacity-offers', json(body)),
  updateOffer: (id: string, body: CapacityOfferUpdate) =>
    call(CapacityOffer, `/capacity-offers/${id}`, json(body, 'PATCH')),
  removeOffer: (id: string) => call(z.undefined(), `/capacity-offers/${id}`, { method: 'DELETE' }),
};
