import { RpcError } from "../../shared/rpc-error.js";

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

// fatal: invalid UTF-8 is an error, not a silent U+FFFD.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
// With the u flag, a surrogate matches only when it is unpaired: not Unicode text.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Appends the layout's pieces to a growing run of bytes. Writing n bytes in all costs O(n): a
 * writer that copied everything written so far at each write would make a 1 MB message cost
 * gigabytes of copying (a test writes 100,000 numbers). This one doubles its buffer when full.
 * A Node Buffer rather than a bare Uint8Array: Buffer.allocUnsafe hands out small buffers from
 * a pool allocated in advance. "Unsafe" means not zeroed; every byte we hand out is written.
 */
export class Writer {
  #bytes = Buffer.allocUnsafe(64);
  #length = 0;

  /** One byte. */
  u8(value: number): void {
    this.#reserve(1);
    this.#bytes[this.#length] = value;
    this.#length += 1;
  }

  /** An unsigned 32-bit integer, 4 bytes, big-endian: the most significant byte first. */
  u32(value: number): void {
    this.#reserve(4);
    this.#length = this.#bytes.writeUInt32BE(value, this.#length); // BE: big-endian
  }

  /** An IEEE 754 float64, 8 bytes, big-endian: every bit of the number, -0 and NaN included. */
  f64(value: number): void {
    this.#reserve(8);
    this.#length = this.#bytes.writeDoubleBE(value, this.#length);
  }

  /** A length (u32), then the bytes as they are. */
  bytes(value: Uint8Array): void {
    this.u32(value.length);
    this.#reserve(value.length);
    this.#bytes.set(value, this.#length);
    this.#length += value.length;
  }

  /**
   * A byte length (u32), then the string as UTF-8: "é" is 2 bytes, "😀" 4, so the length is
   * not `value.length`. A string with an unpaired surrogate ("\ud800" alone) is not Unicode
   * text and has no UTF-8 form (encoders quietly write U+FFFD instead): refuse it with
   * RpcError "invalid_argument".
   */
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

  /** Everything written, in order. */
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

/**
 * Reads the layout's pieces from the front of a message that came from anyone. It never reads
 * past the end and never trusts a length or a count: whatever is missing, too long or
 * malformed is an RpcError "bad_message" that says what and where (the offset), never a
 * RangeError, garbage or a huge allocation.
 */
export class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** How many bytes were read so far. */
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

  /**
   * A length (u32), then that many bytes. A view into the message will do here: readValue is
   * the one that hands out bytes of their own.
   */
  bytes(): Uint8Array {
    const length = this.u32();
    const start = this.#take(length);
    return this.#bytes.subarray(start, start + length);
  }

  /** A string as Writer.string writes it. Invalid UTF-8 is "bad_message", not a silent U+FFFD. */
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
   * An element count (u32), checked against what is left: each element takes at least
   * `minBytes` bytes (an array element: its tag, 1; an object entry: its key's length and its
   * value's tag, 5), so a count with count × minBytes > remaining cannot be true and is
   * "bad_message". A sender claiming 4 billion elements in 10 bytes is caught here, before
   * anything is allocated for them.
   */
  count(minBytes: number): number {
    const count = this.u32();
    if (count * minBytes > this.remaining) {
      throw new RpcError(
        "bad_message",
        `a count of ${count} at offset ${this.#offset - 4} does not fit in the ${this.remaining} bytes left`,
      );
    }
    return count;
  }

  /** Fails unless every byte was read: trailing bytes mean the two sides disagree on layout. */
  end(): void {
    if (this.remaining > 0) {
      throw new RpcError("bad_message", `${this.remaining} unexpected byte(s) after the end`);
    }
  }

  /** Moves past `length` bytes and returns where they start, or fails if they are not there. */
  #take(length: number): number {
    if (length > this.remaining) {
      throw new RpcError(
        "bad_message",
        `truncated: ${length} byte(s) needed at offset ${this.#offset}, ${this.remaining} left`,
      );
    }
    const start = this.#offset;
    this.#offset += length;
    return start;
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
  if (depth > MAX_DEPTH) {
    throw new RpcError(
      "invalid_argument",
      `values nest deeper than ${MAX_DEPTH} levels (or refer to themselves)`,
    );
  }
  switch (typeof value) {
    case "undefined":
      return writer.u8(Tag.Undefined);
    case "boolean":
      return writer.u8(value ? Tag.True : Tag.False);
    case "number":
      writer.u8(Tag.Number);
      return writer.f64(value);
    case "string":
      writer.u8(Tag.String);
      return writer.string(value);
    case "object":
      if (value === null) return writer.u8(Tag.Null);
      if (value instanceof Uint8Array) {
        writer.u8(Tag.Bytes);
        return writer.bytes(value);
      }
      if (value instanceof Date) {
        writer.u8(Tag.Date);
        return writer.f64(value.getTime());
      }
      if (Array.isArray(value)) {
        writer.u8(Tag.Array);
        writer.u32(value.length);
        // By index, not for-of over entries: holes are written as undefined.
        for (let i = 0; i < value.length; i++) writeValue(writer, value[i], depth + 1);
        return;
      }
      if (isPlainObject(value)) {
        const keys = Object.keys(value);
        writer.u8(Tag.Object);
        writer.u32(keys.length);
        for (const key of keys) {
          writer.string(key);
          writeValue(writer, value[key], depth + 1);
        }
        return;
      }
      throw new RpcError(
        "invalid_argument",
        `cannot serialize a ${value.constructor?.name ?? "object"}: only plain objects, arrays, Uint8Array and Date`,
      );
    default:
      throw new RpcError("invalid_argument", `cannot serialize a ${typeof value}`);
  }
}

/**
 * Reads one value, tag first: the mirror of writeValue. An unknown tag, or a value deeper
 * than MAX_DEPTH, is "bad_message". Bytes come back as a plain Uint8Array of their own, not a
 * view into the message (which may be a Buffer), so that a small value does not keep a whole
 * message alive and nobody can change it through the message. An object comes back with the
 * ordinary prototype, and a key named "__proto__" stays an own key.
 */
export function readValue(reader: Reader, depth = 0): unknown {
  if (depth > MAX_DEPTH) {
    throw new RpcError("bad_message", `values nest deeper than ${MAX_DEPTH} levels`);
  }
  const tagOffset = reader.offset;
  const tag = reader.u8();
  switch (tag) {
    case Tag.Undefined:
      return undefined;
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Number:
      return reader.f64();
    case Tag.String:
      return reader.string();
    case Tag.Bytes:
      // A copy, so that a small value does not keep a whole received message alive.
      return new Uint8Array(reader.bytes());
    case Tag.Date:
      return new Date(reader.f64());
    case Tag.Array: {
      const length = reader.count(1); // every element has at least its tag byte
      const array: unknown[] = [];
      for (let i = 0; i < length; i++) array.push(readValue(reader, depth + 1));
      return array;
    }
    case Tag.Object: {
      const size = reader.count(5); // a key's length (4) and a value's tag (1) at least
      const entries: [string, unknown][] = [];
      for (let i = 0; i < size; i++) entries.push([reader.string(), readValue(reader, depth + 1)]);
      // fromEntries defines own properties: a key "__proto__" stays a key, never a prototype.
      return Object.fromEntries(entries);
    }
    default:
      throw new RpcError(
        "bad_message",
        `unknown tag 0x${tag.toString(16).padStart(2, "0")} at offset ${tagOffset}`,
      );
  }
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
