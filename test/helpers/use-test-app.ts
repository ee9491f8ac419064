import { makeWorld, type World } from '../factories';
import type { Clock } from '../../server/core/clock';
import { startSecondInstance, startTestApp, type Driver, type TestApp } from './test-app';

function started<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is set up in beforeAll: use it only inside tests and hooks`);
  return value;
}

/**
 * Starts the app in `beforeAll` and stops it in `afterAll`, for the enclosing describe block.
 * Call it at the top of the block, then use `t.app` inside tests and hooks.
 */
export function useTestApp(driver: Driver): { readonly app: TestApp } {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp(driver);
  });
  afterAll(async () => {
    await app?.stop();
  });
  return {
    get app() {
      return started(app, 'app');
    },
  };
}

/** As `useTestApp`, and builds the usual world of regions, communes and users on it: `t.app`, `t.w`. */
export function useWorld(driver: Driver): { readonly app: TestApp; readonly w: World } {
  let app: TestApp | undefined;
  let w: World | undefined;
  beforeAll(async () => {
    app = await startTestApp(driver);
    w = await makeWorld(app);
  });
  afterAll(async () => {
    await app?.stop();
  });
  return {
    get app() {
      return started(app, 'app');
    },
    get w() {
      return started(w, 'w');
    },
  };
}

/**
 * Two instances of the app on one database, both on `clock`, with the scheduler left to the test
 * (`scheduler.runDue()`): for what must happen once however many instances run.
 */
export function useTwoInstances(driver: Driver, clock: Clock): { readonly first: TestApp; readonly second: TestApp } {
  let first: TestApp | undefined;
  let second: TestApp | undefined;
  beforeAll(async () => {
    first = await startTestApp(driver, { JOBS_CHECK_SECONDS: '0' }, { clock });
    second = await startSecondInstance(first, { clock });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });
  return {
    get first() {
      return started(first, 'first');
    },
    get second() {
      return started(second, 'second');
    },
  };
}
