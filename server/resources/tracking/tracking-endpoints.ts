import { z } from 'zod';
import { TrackingAnswer, TrackingCode } from '../../../shared/schemas';
import { endpoint, permission } from '../../http/endpoint';
import { trackTask } from './tracking';
import { trackingHeaders, trackingThrottle } from './tracking-throttle';

const tag = 'tracking';

export const TrackingParams = z.object({ trackingCode: TrackingCode });

export const trackingEndpoints = [
  endpoint({
    method: 'get',
    path: '/public/track/:trackingCode',
    tag,
    summary: "A citizen's request, by the tracking code on their receipt: its status and where to collect it",
    permission: permission.public(
      'the citizen has no account; the code (65 random bits) is the key, the answer holds no personal data, title or details, and look-ups are rate-limited per address',
    ),
    before: (ctx) => [trackingHeaders, trackingThrottle(ctx.db)],
    params: TrackingParams,
    responses: { 200: { description: 'Where the request stands', schema: TrackingAnswer } },
    problems: { 429: 'Too many look-ups from this address: see Retry-After' },
    handle: ({ ctx, params }) => trackTask(ctx, params.trackingCode),
  }),
];
