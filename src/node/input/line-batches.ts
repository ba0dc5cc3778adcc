const NEWLINE = 0x0a;

/** Complete lines of input as one byte buffer, with the number of its first line. */
export interface LineBatch {
  first: number;
  bytes: Buffer;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Cuts a byte stream into batches of whole lines of about `targetBytes` each, splitting only at `\n` bytes and
 * never decoding: text decoding and JSON parsing happen later, in the workers. A line longer than the target
 * makes a batch of its own; the last line needs no trailing newline.
 */
export async function* lineBatches(chunks: AsyncIterable<Buffer>, targetBytes: number): AsyncGenerator<LineBatch> {
  let first = 1;
  let complete: Buffer[] = [];
  let completeBytes = 0;
  let partial: Buffer[] = [];
  const take = (): LineBatch => {
    // Not Buffer.concat: small results of it share Node's buffer pool, and a batch must own its memory to be transferable.
    const bytes = Buffer.allocUnsafeSlow(completeBytes);
    let at = 0;
    for (const piece of complete) {
      bytes.set(piece, at);
      at += piece.length;
    }
    const batch = { first, bytes };
    first += countNewlines(bytes);
    complete = [];
    completeBytes = 0;
    return batch;
  };
  for await (const chunk of chunks) {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      partial.push(chunk);
      continue;
    }
    for (const piece of [...partial, chunk.subarray(0, lastNewline + 1)]) {
      complete.push(piece);
      completeBytes += piece.length;
    }
    partial = lastNewline + 1 < chunk.length ? [chunk.subarray(lastNewline + 1)] : [];
    if (completeBytes >= targetBytes) yield take();
  }
  for (const piece of partial) {
    complete.push(piece);
    completeBytes += piece.length;
  }
  if (completeBytes > 0) yield take();
}
