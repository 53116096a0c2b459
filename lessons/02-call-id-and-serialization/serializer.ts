import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/**
 * Problem 2 of a remote call, serialization: values become bytes, and bytes become values
 * again on the other side. Every value is written as a one-byte tag saying what follows, then
 * its payload. All integers in the layout are unsigned 32-bit big-endian ("network order").
 *
 *   tag   value       payload after the tag byte
 *   0x00  undefined   nothing
 *   0x01  null        nothing
 *   0x02  false       nothing
 *   0x03  true        nothing
 *   0x04  number      8 bytes: IEEE 754 float64, so -0, NaN and ±Infinity survive
 *   0x05  string      4 bytes: byte length n, then n bytes of UTF-8
 *   0x06  bytes       4 bytes: length n, then n raw bytes (a Uint8Array)
 *   0x07  array       4 bytes: element count n, then n values, each with its own tag
 *   0x08  object      4 bytes: key count n, then n pairs: a key (length + UTF-8), a value
 *   0x09  date        8 bytes: milliseconds since 1970-01-01T00:00Z as float64
 *
 * Example: [1, "hi"] is 07 | 00 00 00 02 | 04 3f f0 00 00 00 00 00 00 | 05 00 00 00 02 68 69
 */
export const Tag = {
  Undefined: 0x00,
  Null: 0x01,
  False: 0x02,
  True: 0x03,
  Number: 0x04,
  String: 0x05,
  Bytes: 0x06,
  Array: 0x07,
  Object: 0x08,
  Date: 0x09,
} as const;

/** Deeper values are refused both ways: a decoder must not recurse as deep as a sender asks. */
export const MAX_DEPTH = 64;

// fatal: invalid UTF-8 is an error, not a silent U+FFFD.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
// With the u flag, a surrogate matches only when it is unpaired: not Unicode text.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Appends bytes to a buffer that doubles when full: n writes cost O(n), never O(n²).
 * A Node Buffer rather than a bare Uint8Array: Buffer.allocUnsafe hands out small buffers from
 * a pool allocated in advance, where `new Uint8Array` (and a DataView on its `.buffer`) costs a
 * fresh allocation per message. "Unsafe" means not zeroed; every byte we hand out is written.
 */
export class Writer {
  #bytes = Buffer.allocUnsafe(64);
  #length = 0;

  u8(value: number): void {
    this.#reserve(1);
    this.#bytes[this.#length] = value;
    this.#length += 1;
  }

  u32(value: number): void {
    this.#reserve(4);
    this.#length = this.#bytes.writeUInt32BE(value, this.#length); // BE: big-endian
  }

  f64(value: number): void {
    this.#reserve(8);
    this.#length = this.#bytes.writeDoubleBE(value, this.#length);
  }

  /** A length (u32), then the bytes. */
  bytes(value: Uint8Array): void {
    this.u32(value.length);
    this.#reserve(value.length);
    this.#bytes.set(value, this.#length);
    this.#length += value.length;
  }

  /** A byte length (u32), then UTF-8, encoded straight into the buffer. */
  string(value: string): void {
    if (LONE_SURROGATE.test(value)) {
      throw new RpcError("invalid_argument", "a string with an unpaired surrogate is not Unicode");
    }
    const start = this.#length;
    this.#reserve(4 + value.length * 3); // UTF-8 needs at most 3 bytes per UTF-16 unit
    const written = this.#bytes.write(value, start + 4, "utf8");
    this.#bytes.writeUInt32BE(written, start);
    this.#length = start + 4 + written;
  }

  /** The bytes written so far: a view, not a copy (the writer is done with its buffer). */
  finish(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + extra));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}

/** Reads from the front of a buffer; never past its end, never trusting a length field. */
export class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }

  u32(): number {
    return this.#view.getUint32(this.#take(4));
  }

  f64(): number {
    return this.#view.getFloat64(this.#take(8));
  }

  /** A length (u32), then that many bytes, as a view into the input (no copy). */
  bytes(): Uint8Array {
    const length = this.u32();
    const start = this.#take(length);
    return this.#bytes.subarray(start, start + length);
  }

  string(): string {
    const raw = this.bytes();
    try {
      return strictUtf8.decode(raw);
    } catch (cause) {
      throw new RpcError("bad_message", `invalid UTF-8 in a string before offset ${this.#offset}`, {
        cause,
      });
    }
  }

  /**
   * An element count (u32) that the rest of the input can hold, given that each element takes
   * at least `minBytes`. A sender claiming 4 billion elements in 10 bytes is caught here,
   * before anything is allocated for them.
   */
  count(minBytes: number): number {
    // Task 3: read the count with this.u32(), and throw RpcError("bad_message") when
    // count * minBytes is more than this.remaining. Otherwise return it.
    void minBytes;
    return todo("task 3: Reader.count");
  }

  /** Fails unless every byte was read: trailing bytes mean the two sides disagree on layout. */
  end(): void {
    if (this.remaining > 0) {
      throw new RpcError("bad_message", `${this.remaining} unexpected byte(s) after the end`);
    }
  }

  /** Moves past `length` bytes and returns where they start, or fails if they are not there. */
  #take(length: number): number {
    // Task 3: if `length` is more than this.remaining, throw RpcError("bad_message") saying
    // how many bytes were needed at which offset. Otherwise move this.#offset past them and
    // return where they started. Every read goes through here: get it right once.
    void length;
    return todo("task 3: Reader.#take");
  }
}

/**
 * Task 2. Writes one value, tag first, then its payload, as the table at the top of this file
 * says; arrays and plain objects (`isPlainObject`) carry a u32 count and then their elements.
 * Throws RpcError("invalid_argument") for what it cannot carry (functions, symbols, bigints,
 * Maps, class instances) and past MAX_DEPTH.
 */
export function writeValue(_writer: Writer, _value: unknown, _depth = 0): void {
  return todo("task 2: writeValue");
}

/**
 * Task 3. Reads one value, tag first: the mirror of writeValue. Throws RpcError("bad_message")
 * for anything malformed: an unknown tag, a count larger than the bytes left could hold, depth
 * past MAX_DEPTH. Bytes come back as a plain Uint8Array of their own (not a view of the
 * message); an object's "__proto__" key stays an ordinary key, never a prototype.
 */
export function readValue(_reader: Reader, _depth = 0): unknown {
  return todo("task 3: readValue");
}

/** One value to bytes. */
export function encodeValue(value: unknown): Uint8Array {
  const writer = new Writer();
  writeValue(writer, value);
  return writer.finish();
}

/** Bytes to one value; the bytes must hold exactly one value and nothing after it. */
export function decodeValue(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = readValue(reader);
  reader.end();
  return value;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
