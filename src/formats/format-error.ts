/** An input record whose shape does not fit the format it was read as. The message is one line, meant for users. */
export class FormatError extends Error {
  override name = 'FormatError';
}
