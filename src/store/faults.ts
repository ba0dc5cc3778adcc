/**
 * Store failures that are the service's own shortage, not the request's fault: the disk is full, the disk
 * fails, the database is busy or unreachable. Callers answer them 503 + `Retry-After` (OTLP exporters retry
 * 503 and drop 500) and log them once. Recognised by the driver's error code (libsql: `code`/`rawCode` on the
 * error or its `cause`; D1: the SQLite code in the message), never by the query text.
 */

/** What kind of shortage, with a fixed description safe to show and log. */
export interface StoreFault {
  kind: 'full' | 'io' | 'busy' | 'unreachable';
  /** The driver's code, e.g. `SQLITE_FULL`, `ECONNREFUSED`. */
  code: string;
  /** One fixed sentence (no query, no parameters, no path). */
  cause: string;
  /** Seconds a client should wait before retrying. */
  retryAfterSeconds: number;
}

const FAULTS: { pattern: RegExp; kind: StoreFault['kind']; cause: string; retryAfterSeconds: number }[] = [
  { pattern: /^SQLITE_FULL/, kind: 'full', cause: 'the database or its disk is full', retryAfterSeconds: 30 },
  { pattern: /^SQLITE_(IOERR|CORRUPT|NOTADB|CANTOPEN|READONLY|NOMEM|PROTOCOL)/, kind: 'io', cause: 'the database cannot read or write its files (disk I/O error)', retryAfterSeconds: 30 },
  { pattern: /^SQLITE_(BUSY|LOCKED)/, kind: 'busy', cause: 'the database is busy (locked by another writer)', retryAfterSeconds: 2 },
  // PostgreSQL SQLSTATEs: 53100 disk full, 53200 out of memory, 53300 too many connections, class 08 connection
  // exceptions, 57P01-57P03 shutting down / cannot connect now, 40001/40P01 serialization failure / deadlock.
  { pattern: /^53100$/, kind: 'full', cause: 'the database or its disk is full', retryAfterSeconds: 30 },
  { pattern: /^(53200|53300|40001|40P01)$/, kind: 'busy', cause: 'the database is busy (out of connections or memory, or a conflicting write)', retryAfterSeconds: 2 },
  { pattern: /^(08\w{3}|57P0[123])$/, kind: 'unreachable', cause: 'the database server is unreachable', retryAfterSeconds: 5 },
  {
    pattern: /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+|SERVER_ERROR|HRANA_\w+|HTTP_\w+)$/,
    kind: 'unreachable',
    cause: 'the database server is unreachable',
    retryAfterSeconds: 5,
  },
];

// D1 reports the SQLite error in its message ("D1_ERROR: database or disk is full: SQLITE_FULL").
const MESSAGE_CODES = /\b(SQLITE_[A-Z_]+)\b|database or disk is full|disk I\/O error|database is locked/;

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  // pg's pool gives up waiting for a connection with a plain Error and no code.
  if (err instanceof Error && /timeout exceeded when trying to connect|Connection terminated/.test(err.message)) codes.push('ETIMEDOUT');
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, rawCode, message } = e as { code?: unknown; rawCode?: unknown; message?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (rawCode === 13) codes.push('SQLITE_FULL');
    if (typeof message === 'string' && /^D1_|\bD1\b/.test(message)) {
      const m = MESSAGE_CODES.exec(message);
      if (m !== null) codes.push(m[1] ?? (/full/.test(m[0]) ? 'SQLITE_FULL' : /locked/.test(m[0]) ? 'SQLITE_BUSY' : 'SQLITE_IOERR'));
    }
  }
  return codes;
}

/** The shortage behind `err`, or undefined when it is some other error (a bug, bad input). */
export function storeFault(err: unknown): StoreFault | undefined {
  for (const code of codesOf(err)) {
    const hit = FAULTS.find((f) => f.pattern.test(code));
    if (hit !== undefined) return { kind: hit.kind, code, cause: hit.cause, retryAfterSeconds: hit.retryAfterSeconds };
  }
  return undefined;
}

/**
 * Logs a store shortage once per episode: the first failure with its cause, then silence while it lasts, then
 * one line when an operation succeeds again (with how many were refused meanwhile).
 */
export class StoreFaultLog {
  private current: StoreFault | undefined;
  private refused = 0;

  constructor(
    private readonly where: string,
    private readonly log: (line: string) => void = (line) => console.error(line),
  ) {}

  /** Records a failure; returns the fault when `err` is a shortage (logged if it starts an episode). */
  failed(err: unknown): StoreFault | undefined {
    const fault = storeFault(err);
    if (fault === undefined) return undefined;
    this.refused++;
    if (this.current?.code !== fault.code) {
      this.current = fault;
      this.log(`${this.where}: store unavailable (${fault.code}): ${fault.cause}; refusing writes until it recovers`);
    }
    return fault;
  }

  /** Records a success; ends an episode. */
  ok(): void {
    if (this.current === undefined) return;
    this.log(`${this.where}: store available again after ${this.current.code} (${this.refused} operation(s) refused meanwhile)`);
    this.current = undefined;
    this.refused = 0;
  }
}
