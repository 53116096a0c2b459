/**
 * The bytes one direction has sent but a decoder has not used yet. Chunks stay in a list and
 * are joined only when a message spans several, so a large message costs one copy, not one
 * per chunk.
 */
export class ByteQueue {
  readonly #chunks: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.#length += chunk.length;
  }

  /** The first `n` bytes (fewer if fewer are buffered), left in place. */
  peek(n: number): Buffer {
    n = Math.min(n, this.#length);
    const first = this.#chunks[0];
    if (!first) return Buffer.alloc(0);
    if (first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (const chunk of this.#chunks) {
      if (filled >= n) break;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
    }
    return out;
  }

  /** Removes and returns the first `n` bytes (fewer if fewer are buffered). */
  take(n: number): Buffer {
    const out = this.peek(n);
    let left = out.length;
    this.#length -= left;
    while (left > 0) {
      const first = this.#chunks[0]!;
      if (first.length <= left) {
        this.#chunks.shift();
        left -= first.length;
      } else {
        this.#chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    return out;
  }

  /** Everything buffered, removed. */
  takeAll(): Buffer {
    return this.take(this.#length);
  }
}
