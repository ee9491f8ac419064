import { AccessCodeInput, AccessCodeLoginRequest } from './auth';

describe('access code input', () => {
  it('takes the code as people type it: upper or lower case, with dashes or spaces', () => {
    expect(AccessCodeInput.parse('k7qm-4xdp-a2rn')).toBe('K7QM4XDPA2RN');
    expect(AccessCodeInput.parse(' K7QM 4XDP A2RN ')).toBe('K7QM4XDPA2RN');
  });

  it('refuses what cannot be a code, naming the field', () => {
    for (const bad of ['K7QM-4XDP', 'K7QM-4XDP-A2RN-9', '', 'x'.repeat(41)])
      expect(AccessCodeInput.safeParse(bad).success).toBe(false);
    const res = AccessCodeLoginRequest.safeParse({
      username: 'ans.clerk',
      code: 'K7QM-4XDP-A2RN',
      newPassword: 'short',
    });
    expect(res.success).toBe(false);
    expect(res.error?.issues.map((i) => i.path.join('.'))).toEqual(['newPassword']);
  });
});
