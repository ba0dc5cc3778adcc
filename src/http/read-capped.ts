/**
 * Reads a byte stream to its end into one array, stopping (and cancelling the stream) as soon as it passes
 * `maxBytes`, so an oversized body is never buffered whole. `tooLarge` builds the error thrown then;
 * `readFailed`, if given, replaces an error the stream itself raises (otherwise that error propagates). `onRead` is
 * told the bytes read so far after each chunk; an error it throws stops the read (the stream cancelled) and propagates.
 */
export async function readCapped(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
  readFailed?: (err: unknown) => Error,
  onRead?: (bytes: number) => void,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await (readFailed === undefined
      ? reader.read()
      : reader.read().catch((err: unknown): never => {
          throw readFailed(err);
        }));
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    try {
      onRead?.(size);
    } catch (err) {
      await reader.cancel();
      throw err;
    }
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
