import { ApiError } from './errors.js';

/** Default bytes of request bodies one process holds at once (`SIGNALS_INGEST_QUEUE_BYTES`): 64 MiB. */
export const DEFAULT_INGEST_QUEUE_BYTES = 64 * 1024 * 1024;

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

/**
 * Bounds the request bodies one process holds at once (exports on `POST /v1/traces`, `/v1/logs`, the Langfuse
 * receiver; conversations on `/v1/analyze`, `/v1/analyze/batch`; every other body under `/v1`), counted as they are
 * read (and from a declared `Content-Length` before that), until the answer. Ingests into one store take turns, so
 * exports arriving faster than the store takes them wait in memory (a body takes several times its size once read),
 * and many slow uploads would all be in memory before any was complete; past the bound a body is answered 503 +
 * Retry-After as soon as it passes it, which OTLP exporters retry later, where the queue would otherwise grow until the
 * process runs out of memory and loses every export it had not answered. One body is always admitted (the body limit
 * bounds its size).
 */
export class IngestQueue {
  private bytes = 0;
  private exports = 0;

  constructor(readonly maxBytes: number) {}

  /** A body that starts arriving: held with no bytes yet, growing with {@link HeldBody.hold}. */
  receive(): HeldBody {
    this.exports++;
    let held = 0;
    let released = false;
    const hold = (bytes: number): void => {
      if (released || bytes <= held) return;
      if (this.exports > 1 && this.bytes - held + bytes > this.maxBytes) {
        throw new ApiError(
          503,
          'ingest_busy',
          `The service holds ${this.exports - 1} other request(s) of ${megabytes(this.bytes - held)} waiting to be stored or answered, its bound (SIGNALS_INGEST_QUEUE_BYTES=${this.maxBytes}); retry after ${RETRY_AFTER_SECONDS} s`,
          RETRY_AFTER_SECONDS,
        );
      }
      this.bytes += bytes - held;
      held = bytes;
    };
    return {
      hold,
      settle: (bytes) => {
        hold(bytes);
        if (released || bytes >= held) return;
        this.bytes -= held - bytes;
        held = bytes;
      },
      release: () => {
        if (released) return;
        released = true;
        this.bytes -= held;
        this.exports--;
      },
    };
  }

  /** Bodies and bytes held now. */
  get held(): { exports: number; bytes: number } {
    return { exports: this.exports, bytes: this.bytes };
  }
}

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
