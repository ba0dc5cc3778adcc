import { ApiError } from './errors.js';

/** Default bytes of export bodies one process holds at once (`SIGNALS_INGEST_QUEUE_BYTES`): 64 MiB. */
export const DEFAULT_INGEST_QUEUE_BYTES = 64 * 1024 * 1024;

/** What an exporter is told to wait before sending a refused export again. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Bounds the exports one process holds at once (`POST /v1/traces`, `/v1/logs`, the Langfuse receiver), counted by
 * their bodies as read, from the read to the answer. Ingests into one store take turns, so exports arriving faster
 * than the store takes them wait in memory (a body takes several times its size once read); past the bound an export
 * is answered 503 + Retry-After, which OTLP exporters retry later, where the queue would otherwise grow until the
 * process runs out of memory and loses every export it had not answered. One export is always admitted (the body
 * limit bounds its size).
 */
export class IngestQueue {
  private bytes = 0;
  private exports = 0;

  constructor(readonly maxBytes: number) {}

  /** Admits an export of `bodyBytes` or throws the 503 (`ingest_busy`); the function returned lets it go. */
  admit(bodyBytes: number): () => void {
    if (this.exports > 0 && this.bytes + bodyBytes > this.maxBytes) {
      throw new ApiError(
        503,
        'ingest_busy',
        `The service holds ${this.exports} export(s) of ${megabytes(this.bytes)} waiting to be stored, its bound (SIGNALS_INGEST_QUEUE_BYTES=${this.maxBytes}); retry after ${RETRY_AFTER_SECONDS} s`,
        RETRY_AFTER_SECONDS,
      );
    }
    this.bytes += bodyBytes;
    this.exports++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.bytes -= bodyBytes;
      this.exports--;
    };
  }

  /** Exports and bytes held now. */
  get held(): { exports: number; bytes: number } {
    return { exports: this.exports, bytes: this.bytes };
  }
}

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
