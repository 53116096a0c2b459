import { RpcError } from "./rpc-error.js";

/** What one holder has in a ByteBudget. */
export interface ByteAccount {
  /** Bytes this holder counts now. */
  readonly bytes: number;
  /**
   * The holder now holds `bytes`. Returns false when it has been dropped to keep the budget
   * (its `drop` has run, now or before): it should stop reading.
   */
  hold(bytes: number): boolean;
  /** The holder is gone: its bytes go back to the budget. */
  release(): void;
}

interface Entry {
  bytes: number;
  drop: (reason: RpcError) => void;
}

/**
 * Bytes that many holders (connections, streams) keep in memory while a message arrives, under
 * one limit for them all. When a holder would take the total past the limit, the holder that
 * holds the most is dropped (it gives its bytes back), again until the total fits. So the few
 * holders that fill the budget with large unfinished messages are the ones to go, and a small
 * honest message that arrives then still goes through: nobody takes the whole budget by coming
 * first.
 */
export class ByteBudget {
  readonly #entries = new Set<Entry>();
  #held = 0;

  /**
   * @param limit the most all holders together may hold
   * @param onChange told the new total after every change (for a budget inside a larger one)
   */
  constructor(
    readonly limit: number,
    private readonly onChange: (held: number) => void = () => {},
  ) {}

  /** Bytes held by all holders now. */
  get held(): number {
    return this.#held;
  }

  /** An account for one holder; `drop` runs once, if it is the one to give its bytes back. */
  open(drop: (reason: RpcError) => void): ByteAccount {
    const entry: Entry = { bytes: 0, drop };
    this.#entries.add(entry);
    const budget = this;
    return {
      get bytes() {
        return entry.bytes;
      },
      hold(bytes) {
        if (!budget.#entries.has(entry)) return false;
        if (bytes === entry.bytes) return true; // most chunks: a frame came and went whole
        budget.#held += bytes - entry.bytes;
        entry.bytes = bytes;
        budget.#fit();
        return budget.#entries.has(entry);
      },
      release() {
        if (budget.#remove(entry)) budget.onChange(budget.#held);
      },
    };
  }

  #remove(entry: Entry): boolean {
    if (!this.#entries.delete(entry)) return false;
    this.#held -= entry.bytes;
    entry.bytes = 0;
    return true;
  }

  /** Drops the largest holders until the total fits, then says the new total. */
  #fit(): void {
    while (this.#held > this.limit) {
      let largest: Entry | undefined;
      // The largest; among equals the newest, which has waited least.
      for (const entry of this.#entries)
        if (entry.bytes > 0 && entry.bytes >= (largest?.bytes ?? 0)) largest = entry;
      if (!largest) break;
      const bytes = largest.bytes;
      this.#remove(largest);
      largest.drop(
        new RpcError(
          "unavailable",
          `the server is busy: unfinished messages would hold over ${this.limit} bytes; ` +
            `the client holding the most (${bytes} bytes) is dropped`,
        ),
      );
    }
    this.onChange(this.#held);
  }
}
