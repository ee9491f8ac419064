import crypto from 'node:crypto';

/** One id per test run: every database this run creates carries it, and teardown drops them all. */
export default function globalSetup(): void {
  process.env.ENTRAIDE_TEST_RUN = crypto.randomBytes(4).toString('hex');
}
