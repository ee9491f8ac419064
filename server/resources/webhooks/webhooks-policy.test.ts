import type { Actor } from '../../core/actor';
import { canManageWebhooks, canSeeWebhook, webhookScopeOf } from './webhooks-policy';

const actor = (over: Partial<Actor>): Actor => ({
  id: 'u',
  username: 'u',
  displayName: 'U',
  role: 'clerk',
  active: true,
  communeId: null,
  communeName: null,
  regionId: null,
  regionName: null,
  citizenBarred: false,
  secondFactorEnabled: false,
  ...over,
});

describe('webhooks policy', () => {
  const manager = actor({ role: 'manager', communeId: 'c1', regionId: 'r1' });
  const coordinator = actor({ role: 'coordinator', regionId: 'r1' });

  it('lets managers keep their commune’s hooks and coordinators their region’s, no one else', () => {
    expect(canManageWebhooks(manager)).toBe(true);
    expect(canManageWebhooks(coordinator)).toBe(true);
    for (const role of ['clerk', 'dpo', 'admin'] as const) {
      expect(canManageWebhooks(actor({ role, communeId: 'c1', regionId: 'r1' }))).toBe(false);
    }
    expect(canManageWebhooks({ ...manager, active: false })).toBe(false);
    expect(webhookScopeOf(manager)).toEqual({ communeId: 'c1' });
    expect(webhookScopeOf(coordinator)).toEqual({ regionId: 'r1' });
  });

  it('shows a hook only within its scope', () => {
    expect(canSeeWebhook(manager, { communeId: 'c1', regionId: null })).toBe(true);
    expect(canSeeWebhook(manager, { communeId: 'c2', regionId: null })).toBe(false);
    expect(canSeeWebhook(manager, { communeId: null, regionId: 'r1' })).toBe(false);
    expect(canSeeWebhook(coordinator, { communeId: null, regionId: 'r1' })).toBe(true);
    expect(canSeeWebhook(coordinator, { communeId: 'c1', regionId: null })).toBe(false);
  });
});
