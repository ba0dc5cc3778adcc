const NEWLINE = 0x0a;

/** Complete lines of input as one byte buffer, with the number of its first line. */
export interface LineBatch {
  kind: 'lines';
  first: number;
  bytes: Buffer;
}

/** A line longer than the limit: not kept (memory stays bounded), reported in its place. */
export interface LongLine {
  kind: 'too-long';
  line: number;
  bytes: number;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Cuts a byte stream into batches of whole lines of about `targetBytes` each, splitting only at `\n` bytes and
 * never decoding: text decoding and JSON parsing happen later, in the workers. A line longer than the target
 * makes a batch of its own; the last line needs no trailing newline. A line longer than `maxLineBytes` is dropped
 * as it streams by and comes out as a `too-long` piece in its place. When the stream fails (a truncated gzip),
 * the whole lines read before the failure come out first, then the error is rethrown.
 */
export async function* lineBatches(
  chunks: AsyncIterable<Buffer>,
  targetBytes: number,
  maxLineBytes = Number.POSITIVE_INFINITY,
): AsyncGenerator<LineBatch | LongLine> {
  let first = 1;
  let complete: Buffer[] = [];
  let completeBytes = 0;
  let partial: Buffer[] = [];
  let partialBytes = 0;
  /** Bytes of the over-long line being skipped, or -1. */
  let skipped = -1;
  const take = (): LineBatch => {
    // Not Buffer.concat: small results of it share Node's buffer pool, and a batch must own its memory to be transferable.
    const bytes = Buffer.allocUnsafeSlow(completeBytes);
    let at = 0;
    for (const piece of complete) {
      bytes.set(piece, at);
      at += piece.length;
    }
    const batch: LineBatch = { kind: 'lines', first, bytes };
    first += countNewlines(bytes);
    complete = [];
    completeBytes = 0;
    return batch;
  };
  const keep = (piece: Buffer) => {
    complete.push(piece);
    completeBytes += piece.length;
  };
  /** The lines before a long one go out first, so output order is input order. */
  function* longLine(bytes: number): Generator<LineBatch | LongLine> {
    if (completeBytes > 0) yield take();
    yield { kind: 'too-long', line: first, bytes };
    first += 1;
  }
  try {
    for await (const whole of chunks) {
      let chunk = whole;
      if (skipped >= 0) {
        const end = chunk.indexOf(NEWLINE);
        if (end === -1) {
          skipped += chunk.length;
          continue;
        }
        yield* longLine(skipped + end);
        skipped = -1;
        chunk = chunk.subarray(end + 1);
      }
      const lastNewline = chunk.lastIndexOf(NEWLINE);
      if (partialBytes + chunk.length > maxLineBytes) {
        // Some line may be too long: look at each one (only then; the fast path below never splits lines).
        let start = 0;
        for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
          if (partialBytes + end - start > maxLineBytes) yield* longLine(partialBytes + end - start);
          else {
            for (const piece of partial) keep(piece);
            keep(chunk.subarray(start, end + 1));
          }
          partial = [];
          partialBytes = 0;
          start = end + 1;
        }
        const rest = chunk.subarray(start);
        if (partialBytes + rest.length > maxLineBytes) {
          if (completeBytes > 0) yield take();
          skipped = partialBytes + rest.length;
          partial = [];
          partialBytes = 0;
        } else if (rest.length > 0) {
          partial.push(rest);
          partialBytes += rest.length;
        }
      } else if (lastNewline === -1) {
        partial.push(chunk);
        partialBytes += chunk.length;
        continue;
      } else {
        for (const piece of partial) keep(piece);
        keep(chunk.subarray(0, lastNewline + 1));
        partial = lastNewline + 1 < chunk.length ? [chunk.subarray(lastNewline + 1)] : [];
        partialBytes = chunk.length - lastNewline - 1;
      }
      if (completeBytes >= targetBytes) yield take();
    }
  } catch (error) {
    // The cut line (if any) is lost with the stream; every whole line before it is still scored.
    if (completeBytes > 0) yield take();
    throw error;
  }
  if (skipped >= 0) yield* longLine(skipped);
  else {
    for (const piece of partial) keep(piece);
  }
  if (completeBytes > 0) yield take();
}
