import { actor } from '../../../test/actors';
import {
  canAnswerTransfer,
  canAnswerTransfers,
  canListTransfers,
  canRequestTransfers,
  canViewTransfer,
  type TransferScope,
} from './transfers-policy';

const request: TransferScope = { regionId: 'R', holderCommuneId: 'B', askerCommuneId: 'C', status: 'open' };
const clerkB = actor('clerk', 'B', 'R');
const managerB = actor('manager', 'B', 'R');
const clerkC = actor('clerk', 'C', 'R');
const managerA = actor('manager', 'A', 'R');
const coordinator = actor('coordinator', null, 'R');
const foreignClerk = actor('clerk', 'Z', 'Q');
const dpo = actor('dpo', null, 'R');
const admin = actor('admin', null, null);

describe('transfer policy', () => {
  it('lets clerks and the coordinator ask, clerks and managers answer', () => {
    expect([clerkC, coordinator].map(canRequestTransfers)).toEqual([true, true]);
    expect([managerA, dpo, admin, actor('clerk', 'C', 'R', false)].map(canRequestTransfers)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect([clerkB, managerB].map(canAnswerTransfers)).toEqual([true, true]);
    expect([coordinator, dpo, admin].map(canAnswerTransfers)).toEqual([false, false, false]);
    expect([clerkC, coordinator, managerA].map(canListTransfers)).toEqual([true, true, true]);
    expect([dpo, admin].map(canListTransfers)).toEqual([false, false]);
  });

  it("lets the region see a request and only the holder's commune answer it", () => {
    for (const a of [clerkB, clerkC, managerA, coordinator]) expect(canViewTransfer(a, request)).toBe(true);
    for (const a of [foreignClerk, dpo, admin]) expect(canViewTransfer(a, request)).toBe(false);
    expect([clerkB, managerB].map((a) => canAnswerTransfer(a, request))).toEqual([true, true]);
    expect([clerkC, managerA, coordinator, foreignClerk].map((a) => canAnswerTransfer(a, request))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
