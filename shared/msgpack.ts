import { DecodeError, Decoder, Encoder, ExtensionCodec } from "@msgpack/msgpack";

/**
 * msgpack as lesson 7's zerorpc speaks it: @msgpack/msgpack, plus two things Python sends that
 * the library alone would change on the way.
 *
 * - 64-bit integers. Python writes any integer past 2^32 as uint64/int64; they decode as bigint,
 *   so that 2^60 arrives exact, and those a number holds exactly become numbers again.
 * - Map keys that are not strings (`{1: "a"}`). A map whose keys are all strings decodes to a
 *   plain object, as always; any other map decodes to a JS Map whose keys keep their types
 *   (string, number, bigint, boolean, null or bytes), and a Map encodes back to a msgpack map
 *   with those keys.
 *
 * A map key "__proto__" is refused, in any map: a plain object given that key would get a new
 * prototype instead. Decoding walks with loops and a stack of their own, never recursion: a
 * message may nest ten thousand levels deep. Encoding stops at 100 levels, as the library does.
 */

// One encoder and one decoder for every message: encode() and decode() build a new one per
// call, and a new encoder allocates a fresh 2 KB working buffer each time.

/** Set by the encoder when it meets a Map, which it has no code for: it writes one as {}. */
let sawMap = false;
const spotMaps = new ExtensionCodec();
// The encoder asks its extension codec about every object before writing it; this one never
// claims an object, it only notices Maps.
spotMaps.register({
  type: 0,
  encode: (value) => {
    if (value instanceof Map) sawMap = true;
    return null;
  },
  decode: () => null,
});
const encoder = new Encoder({ useBigInt64: true, extensionCodec: spotMaps });

/** Thrown by the fast decoder at the first key that is not a string; never leaves this file. */
const NOT_ALL_STRINGS = new Error("a map key that is not a string");
const decoder = new Decoder({
  useBigInt64: true,
  mapKeyConverter: (key) => {
    if (typeof key === "string") return key;
    throw NOT_ALL_STRINGS;
  },
});

/** The keys of the message the keyed decoder is reading, in order; each map holds indexes. */
const keys: unknown[] = [];
const keyedDecoder = new Decoder({
  useBigInt64: true,
  mapKeyConverter: (key) => {
    if (typeof key === "object" && key !== null && !(key instanceof Uint8Array)) {
      throw new DecodeError("a map key must be a string, number, boolean, nil or bytes");
    }
    return keys.push(key) - 1;
  },
});

/** One msgpack value, with the two changes above. */
export function decodeMsgpack(bytes: Uint8Array): unknown {
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (error) {
    if (error !== NOT_ALL_STRINGS) throw error;
    // A map with a key that is not a string: read it again, keeping every key.
    try {
      return restore(keyedDecoder.decode(bytes), keys);
    } finally {
      keys.length = 0;
    }
  }
  return mayHoldInt64(bytes) ? restore(value) : value;
}

/** Encodes `value`; a Map becomes a msgpack map whose keys keep their types. */
export function encodeMsgpack(value: unknown): Uint8Array {
  sawMap = false;
  const bytes = encoder.encode(value);
  return sawMap ? encodeWithMaps(value) : bytes;
}

/** 0xcf and 0xd3 are msgpack's uint64 and int64 markers: without either byte, no bigint. */
function mayHoldInt64(bytes: Uint8Array): boolean {
  return bytes.includes(0xcf) || bytes.includes(0xd3);
}

const narrow = (v: unknown) =>
  typeof v === "bigint" &&
  v >= BigInt(Number.MIN_SAFE_INTEGER) &&
  v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;

/** What the library makes of a msgpack map (not bytes, a Date or an unknown extension). */
function isDecodedMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * One pass over a decoded value: every bigint a number holds exactly becomes that number. With
 * `keyTable`, each map was decoded with its keys replaced by their index in that table; it gets
 * them back, as a plain object when they are all strings, as a Map otherwise.
 */
function restore(value: unknown, keyTable?: unknown[]): unknown {
  const stack: unknown[] = [];
  const visit = (v: unknown): unknown => {
    if (typeof v === "bigint") return narrow(v);
    if (Array.isArray(v)) stack.push(v);
    else if (isDecodedMap(v)) {
      const rebuilt = keyTable ? withKeys(v, keyTable) : v;
      stack.push(rebuilt);
      return rebuilt;
    }
    return v;
  };
  const top = visit(value);
  while (stack.length > 0) {
    const container = stack.pop();
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) container[i] = visit(container[i]);
    } else if (container instanceof Map) {
      // Setting a key the Map already has, while iterating, changes its value only.
      for (const [key, v] of container) container.set(key, visit(v));
    } else {
      const record = container as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = visit(record[key]);
    }
  }
  return top;
}

/** A map decoded with key indexes, with its real keys: a later duplicate key wins, as in the library. */
function withKeys(indexed: Record<string, unknown>, keyTable: unknown[]): object {
  const entries = Object.keys(indexed).map((index) => [keyTable[Number(index)], indexed[index]]);
  if (entries.every(([key]) => typeof key === "string")) {
    // "__proto__" never gets here: the library refuses that key before converting it.
    const record: Record<string, unknown> = {};
    for (const [key, v] of entries) record[key as string] = v;
    return record;
  }
  return new Map(entries.map(([key, v]) => [narrow(key), v]));
}

const MAX_DEPTH = 100;

/**
 * The slow way, for a value that holds a Map: containers are written here, with the same
 * headers the library writes, and everything else by the library.
 *
 *   fixmap 0x80 | n (n < 16)     map 16: 0xde, n as 2 bytes     map 32: 0xdf, n as 4 bytes
 *   fixarray 0x90 | n (n < 16)   array 16: 0xdc                 array 32: 0xdd
 */
function encodeWithMaps(value: unknown): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = (fix: number, long16: number, size: number) => {
    const bytes = Buffer.alloc(size < 16 ? 1 : size < 0x10000 ? 3 : 5);
    if (size < 16) bytes[0] = fix + size;
    else if (size < 0x10000) {
      bytes[0] = long16;
      bytes.writeUInt16BE(size, 1);
    } else {
      bytes[0] = long16 + 1;
      bytes.writeUInt32BE(size, 1);
    }
    parts.push(bytes);
  };
  const write = (v: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) throw new Error(`Too deep objects in depth ${depth}`);
    if (v instanceof Map) {
      header(0x80, 0xde, v.size);
      for (const [key, item] of v) {
        write(key, depth + 1);
        write(item, depth + 1);
      }
    } else if (Array.isArray(v)) {
      header(0x90, 0xdc, v.length);
      for (const item of v) write(item, depth + 1);
    } else if (
      typeof v === "object" &&
      v !== null &&
      !ArrayBuffer.isView(v) &&
      !(v instanceof Date)
    ) {
      const record = v as Record<string, unknown>;
      const names = Object.keys(record);
      header(0x80, 0xde, names.length);
      for (const name of names) {
        parts.push(encoder.encode(name));
        write(record[name], depth + 1);
      }
    } else {
      parts.push(encoder.encode(v));
    }
  };
  write(value, 1);
  return Buffer.concat(parts);
}

/**
 * The first key of a Map in `value` that is not a string, or undefined when every Map key is a
 * string. msgpack for Python (1.0 and later) reads maps with `strict_map_key=True` by default and
 * refuses a whole message with any other key, so zerorpc-python cannot read such a message;
 * a client checks with this before sending. Walks with its own stack, MAX_DEPTH levels at most.
 */
export function nonStringMapKey(value: unknown): { key: unknown } | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_DEPTH || typeof v !== "object" || v === null || ArrayBuffer.isView(v)) continue;
    if (v instanceof Map) {
      for (const [key, item] of v) {
        if (typeof key !== "string") return { key };
        stack.push([item, depth + 1]);
      }
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push([item, depth + 1]);
    } else if (!(v instanceof Date)) {
      for (const item of Object.values(v)) stack.push([item, depth + 1]);
    }
  }
  return undefined;
}
