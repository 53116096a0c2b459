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

/**
 * How deep values may nest, the same both ways, so that whatever one side writes the other
 * can read. The top value is at depth 0; the elements of an array and the values of an object
 * at depth d are at depth d + 1. A value (of any kind) deeper than MAX_DEPTH is refused: 64
 * arrays around a number pass, 65 do not. A decoder must not recurse as deep as a sender asks.
 */
export const MAX_DEPTH = 64;

/**
 * Appends the layout's pieces to a growing run of bytes. Writing n bytes in all costs O(n): a
 * writer that copied everything written so far at each write would make a 1 MB message cost
 * gigabytes of copying (a test writes 100,000 numbers).
 */
export class Writer {
  /** One byte. */
  u8(value: number): void {
    return todo("task 2: Writer.u8");
  }

  /** An unsigned 32-bit integer, 4 bytes, big-endian: the most significant byte first. */
  u32(value: number): void {
    return todo("task 2: Writer.u32");
  }

  /** An IEEE 754 float64, 8 bytes, big-endian: every bit of the number, -0 and NaN included. */
  f64(value: number): void {
    return todo("task 2: Writer.f64");
  }

  /** A length (u32), then the bytes as they are. */
  bytes(value: Uint8Array): void {
    return todo("task 2: Writer.bytes");
  }

  /**
   * A byte length (u32), then the string as UTF-8: "é" is 2 bytes, "😀" 4, so the length is
   * not `value.length`. A string with an unpaired surrogate ("\ud800" alone) is not Unicode
   * text and has no UTF-8 form (encoders quietly write U+FFFD instead): refuse it with
   * RpcError "invalid_argument".
   */
  string(value: string): void {
    return todo("task 2: Writer.string");
  }

  /** Everything written, in order. */
  finish(): Uint8Array {
    return todo("task 2: Writer.finish");
  }
}

/**
 * Reads the layout's pieces from the front of a message that came from anyone. It never reads
 * past the end and never trusts a length or a count: whatever is missing, too long or
 * malformed is an RpcError "bad_message" that says what and where (the offset), never a
 * RangeError, garbage or a huge allocation.
 */
export class Reader {
  readonly #bytes: Uint8Array;
  #offset = 0;

  /** Task 3: keep here, beside the bytes, whatever your reads need. */
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** How many bytes were read so far. */
  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  u8(): number {
    return todo("task 3: Reader.u8");
  }

  u32(): number {
    return todo("task 3: Reader.u32");
  }

  f64(): number {
    return todo("task 3: Reader.f64");
  }

  /**
   * A length (u32), then that many bytes. A view into the message will do here: readValue is
   * the one that hands out bytes of their own.
   */
  bytes(): Uint8Array {
    return todo("task 3: Reader.bytes");
  }

  /** A string as Writer.string writes it. Invalid UTF-8 is "bad_message", not a silent U+FFFD. */
  string(): string {
    return todo("task 3: Reader.string");
  }

  /**
   * An element count (u32), checked against what is left: each element takes at least
   * `minBytes` bytes (an array element: its tag, 1; an object entry: its key's length and its
   * value's tag, 5), so a count with count × minBytes > remaining cannot be true and is
   * "bad_message". A sender claiming 4 billion elements in 10 bytes is caught here, before
   * anything is allocated for them.
   */
  count(minBytes: number): number {
    return todo("task 3: Reader.count");
  }

  /** Fails unless every byte was read: trailing bytes mean the two sides disagree on layout. */
  end(): void {
    return todo("task 3: Reader.end");
  }
}

/**
 * Writes one value, tag first, as the table above says. What the layout cannot carry is an
 * RpcError "invalid_argument" naming it: functions, symbols, bigints, and objects that are not
 * plain (a plain object's prototype is Object.prototype or null; a Map, a class instance are
 * not), and any value deeper than MAX_DEPTH — which also stops a value that contains itself.
 * An array is written by index, so a hole travels as undefined.
 */
export function writeValue(writer: Writer, value: unknown, depth = 0): void {
  return todo("task 2: writeValue");
}

/**
 * Reads one value, tag first: the mirror of writeValue. An unknown tag, or a value deeper
 * than MAX_DEPTH, is "bad_message". Bytes come back as a plain Uint8Array of their own, not a
 * view into the message (which may be a Buffer), so that a small value does not keep a whole
 * message alive and nobody can change it through the message. An object comes back with the
 * ordinary prototype, and a key named "__proto__" stays an own key.
 */
export function readValue(reader: Reader, depth = 0): unknown {
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
