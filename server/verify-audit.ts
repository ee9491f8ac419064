import type { ChainReport } from '../shared/schemas';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/client';
import { readAnchoredHead, verifyAuditChain, verifyEventChain, type AnchoredHead } from './db/verify';

/**
 * `npm run verify-audit [-- --events-head SEQ:HASH] [--audit-head SEQ:HASH]`: checks every link of
 * the event chain and of the audit trail, straight from the database (DATABASE_URL, or the embedded
 * database in DATA_DIR while the server is stopped), and reports the first broken link. Give the
 * heads it printed last time (kept outside the database) to be sure nothing was cut from the end.
 * Exit code: 0 when both chains hold, 1 when one is broken, 2 when it could not check.
 */
function headOption(args: string[], name: string): AnchoredHead | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const head = readAnchoredHead(args[at + 1] ?? '');
  if (!head) throw new ConfigError(`${name} takes a head as this command prints it: SEQ:HASH (64 hex digits)`);
  return head;
}

function describe(name: string, report: ChainReport): string {
  const head = report.head ? `${report.head.seq}:${report.head.hash}` : 'none yet';
  if (report.ok) return `${name}: ${report.count} numbered, every link holds; head ${head}`;
  const broken = report.firstBroken;
  return `${name}: BROKEN at ${broken?.seq ?? '?'}: ${broken?.reason ?? 'unknown'} (${report.count} checked before it)`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const config = loadConfig();
  const anchored = { events: headOption(args, '--events-head'), audit: headOption(args, '--audit-head') };
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    const events = await verifyEventChain(database.db, anchored.events);
    const audit = await verifyAuditChain(database.db, anchored.audit);
    process.stdout.write(`${describe('events', events)}\n${describe('audit trail', audit)}\n`);
    return events.ok && audit.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`verify-audit: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
