/** The first chunk of a stream, and the whole stream again (first chunk included). */
export interface Peeked {
  first: Buffer | undefined;
  chunks: AsyncIterable<Buffer>;
}

/** Reads the first chunk without losing it, so the format of a stream can be sniffed before it is consumed. */
export async function peek(source: AsyncIterable<Buffer>): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done) return { first: undefined, chunks: (async function* () {})() };
  async function* replay(): AsyncGenerator<Buffer> {
    yield head.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first: head.value, chunks: replay() };
}
