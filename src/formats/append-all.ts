/**
 * Appends `items` to `target` in place with a loop. `target.push(...items)` passes every item as an argument, and an
 * array from the input (a span's 131,000 messages) has more than a call has room for: a RangeError, not a result.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
