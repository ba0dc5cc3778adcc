/**
 * A lane of background work on Node: its own timer, one pass at a time, and a wake-up that runs one more pass
 * after the current one. Lanes never wait for each other, so a slow lane (an LLM provider that hangs) delays
 * only itself.
 */
export class Lane {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  /** `work` is one pass; `onError` hears a failed pass (the lane goes on at its next time). */
  constructor(
    readonly name: string,
    private readonly work: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: (lane: string, err: unknown) => void,
    private readonly onSuccess: () => void = () => {},
  ) {}

  /** Runs a pass now and then every `everyMs`. */
  start(): void {
    this.timer = setInterval(() => this.wake(), this.everyMs);
    this.timer.unref?.();
    this.wake();
  }

  /** Runs a pass now, or once more after the current one. */
  wake(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.work()
      .then(this.onSuccess, (err: unknown) => this.onError(this.name, err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops the timer and waits for the current pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.again = false;
    while (this.running !== null) await this.running;
  }
}
