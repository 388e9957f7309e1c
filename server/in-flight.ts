/**
 * One run of an expensive read shared by every caller while it is under way: concurrent
 * callers join it instead of starting their own, and a call after it ended starts a new one,
 * so an answer is never older than the request that asked. `end()` stops the sharing at once
 * (a change was made: the next caller must not get the answer from before it).
 */
export class InFlight<T> {
  private current: Promise<T> | undefined;

  constructor(private readonly run: () => Promise<T>) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  join(): Promise<T> {
    if (this.current === undefined) {
      const p = this.run();
      this.current = p;
      const done = () => {
        if (this.current === p) this.current = undefined;
      };
      void p.then(done, done);
    }
    return this.current;
  }

  end(): void {
    this.current = undefined;
  }
}
