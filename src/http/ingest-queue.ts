import { ApiError } from './errors.js';

/** Default bytes of request bodies one process holds at once (`SIGNALS_INGEST_QUEUE_BYTES`): 64 MiB. */
export const DEFAULT_INGEST_QUEUE_BYTES = 64 * 1024 * 1024;

/**
 * Default share of those bytes one caller may hold (`SIGNALS_INGEST_QUEUE_TENANT_SHARE`): half. One caller flooding the
 * service (a retry storm, an exporter without batching) then leaves at least half the queue to every other caller,
 * while a caller alone still has half of it for a burst (its exporter retries what is refused); a smaller share
 * protects against more callers flooding at once, but refuses a lone caller's burst sooner.
 */
export const DEFAULT_INGEST_QUEUE_TENANT_SHARE = 0.5;

/** What an exporter is told to wait before sending a refused export again. */
const RETRY_AFTER_SECONDS = 2;

/** The bytes one request body holds in an {@link IngestQueue}, from its first byte to its answer. */
export interface HeldBody {
  /**
   * Holds at least `bytes` for the body (its declared length, what was read of it, what it inflated to): more than
   * it holds is admitted, or throws the 503 (`ingest_busy`).
   */
  hold(bytes: number): void;
  /** Holds exactly `bytes`, the body's size once read (less than a declared length gives the difference back). */
  settle(bytes: number): void;
  /** Lets the body go (once). */
  release(): void;
}

/** Why a body was refused: the whole queue was full, or its caller held its share of it. */
export type Refusal = 'queue' | 'tenant_share';

/**
 * Bounds the request bodies one process holds at once (exports on `POST /v1/traces`, `/v1/logs`, the Langfuse
 * receiver; conversations on `/v1/analyze`, `/v1/analyze/batch`; every other body under `/v1`), counted as they are
 * read (and from a declared `Content-Length` before that), until the answer. Ingests into one store take turns, so
 * exports arriving faster than the store takes them wait in memory (a body takes several times its size once read),
 * and many slow uploads would all be in memory before any was complete; past the bound a body is answered 503 +
 * Retry-After as soon as it passes it, which OTLP exporters retry later, where the queue would otherwise grow until the
 * process runs out of memory and loses every export it had not answered. One body is always admitted (the body limit
 * bounds its size).
 *
 * Each caller (a tenant) may hold at most `tenantShare` of the bytes, so one that floods the service is refused while
 * another's export is still taken. The caller is who the auth check found (the agent of a scoped key; `undefined` for
 * the operator's token), never anything the request says of itself, so no header or body field moves it to another
 * share. A caller's only body passes its share (as the process's only body passes the bound): a body larger than the
 * share is still taken once the caller holds nothing else.
 */
export class IngestQueue {
  private bytes = 0;
  private exports = 0;
  /** Callers holding a body now (deleted at their last): as many as bodies at most, whatever names keys carry. */
  private readonly tenants = new Map<string | undefined, { exports: number; bytes: number }>();
  private readonly refused: Record<Refusal, number> = { queue: 0, tenant_share: 0 };
  /** Bytes one caller may hold beside its only body. */
  readonly tenantMaxBytes: number;

  constructor(
    readonly maxBytes: number,
    readonly tenantShare = 1,
  ) {
    this.tenantMaxBytes = Math.floor(maxBytes * tenantShare);
  }

  /**
   * A body that starts arriving from `tenant` (the agent of the caller's scoped key; undefined for the operator's
   * token or no token, one caller together): held with no bytes yet, growing with {@link HeldBody.hold}.
   */
  receive(tenant: string | undefined): HeldBody {
    this.exports++;
    const mine = this.tenants.get(tenant) ?? { exports: 0, bytes: 0 };
    this.tenants.set(tenant, mine);
    mine.exports++;
    let held = 0;
    let released = false;
    const refuse = (reason: Refusal, message: string): never => {
      this.refused[reason]++;
      throw new ApiError(503, 'ingest_busy', `${message}; retry after ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS);
    };
    const hold = (bytes: number): void => {
      if (released || bytes <= held) return;
      if (this.exports > 1 && this.bytes - held + bytes > this.maxBytes) {
        // How many bodies the others hold, and how large, is their traffic: a caller with a scoped key is not told it.
        refuse('queue', `The service holds as many request bodies waiting to be stored or answered as its bound allows (SIGNALS_INGEST_QUEUE_BYTES=${this.maxBytes})`);
      }
      // After the bound, so a caller alone (a share of 1) is refused by the bound. Its message tells only of the
      // caller's own bodies, nothing of another's.
      if (mine.exports > 1 && mine.bytes - held + bytes > this.tenantMaxBytes) {
        refuse('tenant_share', `This caller holds ${mine.exports - 1} other request(s) of ${megabytes(mine.bytes - held)} waiting to be stored or answered, its share of the service's queue (SIGNALS_INGEST_QUEUE_TENANT_SHARE=${this.tenantShare} of SIGNALS_INGEST_QUEUE_BYTES=${this.maxBytes})`);
      }
      this.bytes += bytes - held;
      mine.bytes += bytes - held;
      held = bytes;
    };
    return {
      hold,
      settle: (bytes) => {
        hold(bytes);
        if (released || bytes >= held) return;
        this.bytes -= held - bytes;
        mine.bytes -= held - bytes;
        held = bytes;
      },
      release: () => {
        if (released) return;
        released = true;
        this.bytes -= held;
        this.exports--;
        mine.bytes -= held;
        if (--mine.exports === 0) this.tenants.delete(tenant);
      },
    };
  }

  /** Bodies and bytes held now. */
  get held(): { exports: number; bytes: number } {
    return { exports: this.exports, bytes: this.bytes };
  }

  /** Bodies refused since the process started, by why (no caller named: the metrics stay one series per reason). */
  get refusals(): Readonly<Record<Refusal, number>> {
    return { ...this.refused };
  }
}

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
