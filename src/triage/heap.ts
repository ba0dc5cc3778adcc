/**
 * Keeps the `capacity` best items seen under a total order, in O(log capacity) per offer and bounded
 * memory. `before(a, b)` is negative when `a` ranks before (is better than) `b`.
 */
export class BoundedHeap<T> {
  // A binary heap whose root is the worst kept item, so a better newcomer replaces it.
  private readonly items: T[] = [];

  /** An empty heap keeping at most `capacity` items ranked by `before`. */
  constructor(
    readonly capacity: number,
    private readonly before: (a: T, b: T) => number,
  ) {}

  /** Offers one item; it is kept iff it ranks among the best `capacity` so far. */
  offer(item: T): void {
    if (this.capacity <= 0) return;
    const items = this.items;
    if (items.length < this.capacity) {
      items.push(item);
      this.up(items.length - 1);
    } else if (this.before(item, items[0]) < 0) {
      items[0] = item;
      this.down(0);
    }
  }

  /** The kept items, best first (a copy; the heap is unchanged). */
  sorted(): T[] {
    return [...this.items].sort(this.before);
  }

  // "worse(a, b)": a should sit above b in this max-of-worst heap.
  private worse(i: number, j: number): boolean {
    return this.before(this.items[i], this.items[j]) > 0;
  }

  private swap(i: number, j: number): void {
    const t = this.items[i];
    this.items[i] = this.items[j];
    this.items[j] = t;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < n && this.worse(l, top)) top = l;
      if (r < n && this.worse(r, top)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }
}
