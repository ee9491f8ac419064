import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseDataKey } from './config';

describe('configuration', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'entraide-config-'));

  it('refuses production without DATA_KEY or SESSION_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) })).toThrow(
      /DATA_KEY is required/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_KEY: 'a'.repeat(64) })).toThrow(
      /SESSION_SECRET is required/,
    );
  });

  it('reads a hex or base64 key and refuses a short one', () => {
    expect(parseDataKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseDataKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(() => parseDataKey('short')).toThrow(ConfigError);
  });

  it('keeps generated secrets in DATA_DIR outside production, the same at every start', () => {
    const dataDir = dir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.dataKey.equals(first.dataKey)).toBe(true);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(fs.statSync(path.join(dataDir, 'data-key')).mode & 0o777).toBe(0o600);
    expect(first.seedDemo).toBe(true);
    fs.rmSync(dataDir, { recursive: true });
  });

  it('seeds the demo in production only when asked', () => {
    const base = { NODE_ENV: 'production', DATA_KEY: 'a'.repeat(64), SESSION_SECRET: 's'.repeat(40), DATA_DIR: dir() };
    expect(loadConfig(base).seedDemo).toBe(false);
    expect(loadConfig({ ...base, SEED_DEMO: 'true' }).seedDemo).toBe(true);
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('requires a second factor of coordinators, admins and DPOs in production, unless told otherwise', () => {
    const base = { NODE_ENV: 'production', DATA_KEY: 'a'.repeat(64), SESSION_SECRET: 's'.repeat(40), DATA_DIR: dir() };
    expect(loadConfig(base).requireSecondFactor).toBe(true);
    expect(loadConfig({ ...base, REQUIRE_SECOND_FACTOR: 'false' }).requireSecondFactor).toBe(false);
    expect(loadConfig({ DATA_DIR: dir() }).requireSecondFactor).toBe(false);
    expect(loadConfig({ DATA_DIR: dir(), REQUIRE_SECOND_FACTOR: 'true' }).requireSecondFactor).toBe(true);
    expect(() => loadConfig({ ...base, REQUIRE_SECOND_FACTOR: 'yes' })).toThrow(
      /REQUIRE_SECOND_FACTOR: must be true or false/,
    );
  });

  it("runs the app's statements without parallel workers unless told otherwise", () => {
    expect(loadConfig({ DATA_DIR: dir() }).databaseParallelWorkers).toBe(0);
    expect(loadConfig({ DATA_DIR: dir(), DATABASE_PARALLEL_WORKERS: '2' }).databaseParallelWorkers).toBe(2);
    for (const bad of ['-1', 'two', '1.5', '65'])
      expect(() => loadConfig({ DATA_DIR: dir(), DATABASE_PARALLEL_WORKERS: bad })).toThrow(
        /DATABASE_PARALLEL_WORKERS/,
      );
  });
});
