/** A user or I/O error (bad option, missing file, unreadable gzip): one line on stderr and exit code 2, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
