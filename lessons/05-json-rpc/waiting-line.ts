/**
 * A first-in, first-out queue with O(1) `push` and `shift`. `Array.prototype.shift()` moves
 * every remaining item down by one, so a line of n waiters would cost O(n) per turn, O(n²) to
 * empty. This keeps a moving head instead, and only drops the served part of the array once it
 * is at least half of it, so each item is copied at most once on average.
 */
export class WaitingLine<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** The oldest item, removed; undefined when the line is empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head]!;
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items = []; // empty again: start afresh, and let the served items go
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
