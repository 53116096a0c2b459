import { RpcError } from "../../shared/rpc-error.js";

/**
 * Protobuf's wire format: a message is a list of fields, each a key then a value.
 * The key is a varint: (field number << 3) | wire type. The wire type says how to find the
 * value's end, so a reader can skip a field it does not know.
 */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** A varint carries 7 bits per byte: 64 bits need at most 10 bytes. */
export const MAX_VARINT_BYTES = 10;

const U64 = (1n << 64n) - 1n;

/**
 * A varint: 7 bits per byte, the lowest group first; every byte but the last has its high bit
 * (0x80) set. 150 → 96 01. A negative value is its 64-bit two's complement (always 10 bytes).
 */
export function encodeVarint(value: bigint): Uint8Array {
  let rest = BigInt.asUintN(64, value); // negatives as two's complement: 10 bytes
  const bytes: number[] = [];
  while (rest > 0x7fn) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Uint8Array.from(bytes);
}

/**
 * Reads the varint at `offset`; returns it (as an unsigned 64-bit bigint) and the offset after
 * it. Throws RpcError("bad_message") when the bytes end inside it or it runs over 10 bytes:
 * a hostile peer must not make the reader loop on.
 */
export function decodeVarint(bytes: Uint8Array, offset: number): [value: bigint, next: number] {
  let value = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const at = offset + i;
    if (at >= bytes.length) throw new RpcError("bad_message", "truncated varint");
    const byte = bytes[at]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return [value & U64, at + 1];
  }
  throw new RpcError("bad_message", `varint longer than ${MAX_VARINT_BYTES} bytes`);
}

/**
 * Zigzag, for sint32/sint64: 0, -1, 1, -2, 2 ... → 0, 1, 2, 3, 4 ..., so a small negative
 * number is a short varint, not ten bytes. Encode: (n << 1) ^ (n >> 63), as an unsigned 64-bit.
 */
export function zigzagEncode(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

export function zigzagDecode(value: bigint): bigint {
  return (value >> 1n) ^ -(value & 1n);
}

/** One field as read from the wire, before the schema gives it a meaning. */
export interface RawField {
  field: number;
  wireType: WireType;
  /** VARINT: the number; I64 / I32: the 8 or 4 bytes; LEN: the bytes. */
  value: bigint | Uint8Array;
}

/**
 * Splits a message into its fields. Per wire type, where the value ends:
 *   0 VARINT  a varint            1 I64  8 bytes (little-endian)
 *   2 LEN     a varint length n, then n bytes      5 I32  4 bytes
 * Any other wire type, or a value running past the end, is an RpcError("bad_message").
 * Fields whose number `keep` refuses are skipped: only their ends are found, with no bigint,
 * no object and no copy, so a message of a million unknown fields costs one pass and nothing
 * more (a peer may send 4 MiB of fields we never asked for).
 */
export function decodeFields(
  bytes: Uint8Array,
  keep: (field: number) => boolean = () => true,
): RawField[] {
  const fields: RawField[] = [];
  const at = { offset: 0 };
  while (at.offset < bytes.length) {
    const key = readSmallVarint(bytes, at);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field < 1 || field > 0x1fffffff)
      throw new RpcError("bad_message", `bad field number ${field}`);
    let start = at.offset; // where the value's bytes begin
    switch (wireType) {
      case WireType.VARINT:
        skipVarint(bytes, at);
        break;
      case WireType.I64:
        at.offset += 8;
        break;
      case WireType.I32:
        at.offset += 4;
        break;
      case WireType.LEN: {
        const length = readSmallVarint(bytes, at);
        start = at.offset;
        at.offset += length;
        break;
      }
      default:
        throw new RpcError("bad_message", `unknown wire type ${wireType} (field ${field})`);
    }
    if (at.offset > bytes.length)
      throw new RpcError("bad_message", "truncated message: a field runs past the end");
    if (!keep(field)) continue;
    const value =
      wireType === WireType.VARINT
        ? decodeVarint(bytes, start)[0]
        : bytes.subarray(start, at.offset);
    fields.push({ field, wireType: wireType as WireType, value });
  }
  return fields;
}

/**
 * A key or a length as a plain number, moving `at.offset` past it. Exact up to 2^53; anything
 * larger is no field number and no length a message can hold, and fails just after.
 */
function readSmallVarint(bytes: Uint8Array, at: { offset: number }): number {
  let value = 0;
  for (let i = 0, scale = 1; i < MAX_VARINT_BYTES; i++, scale *= 128) {
    const byte = bytes[at.offset + i];
    if (byte === undefined) throw new RpcError("bad_message", "truncated varint");
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      at.offset += i + 1;
      return value;
    }
  }
  throw new RpcError("bad_message", `varint longer than ${MAX_VARINT_BYTES} bytes`);
}

function skipVarint(bytes: Uint8Array, at: { offset: number }): void {
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const byte = bytes[at.offset + i];
    if (byte === undefined) throw new RpcError("bad_message", "truncated varint");
    if ((byte & 0x80) === 0) {
      at.offset += i + 1;
      return;
    }
  }
  throw new RpcError("bad_message", `varint longer than ${MAX_VARINT_BYTES} bytes`);
}

/** Collects fields; `finish()` joins them once. */
export class ProtoWriter {
  readonly #parts: Uint8Array[] = [];

  #key(field: number, wireType: WireType): void {
    this.#parts.push(encodeVarint(BigInt((field << 3) | wireType)));
  }

  /** A VARINT field. */
  varint(field: number, value: bigint): this {
    this.#key(field, WireType.VARINT);
    this.#parts.push(encodeVarint(value));
    return this;
  }

  /** An I64 field holding a double, little-endian. */
  double(field: number, value: number): this {
    this.#key(field, WireType.I64);
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeDoubleLE(value, 0);
    this.#parts.push(bytes);
    return this;
  }

  /** A LEN field: the length as a varint, then the bytes (strings, nested or packed fields). */
  bytes(field: number, value: Uint8Array): this {
    this.#key(field, WireType.LEN);
    this.#parts.push(encodeVarint(BigInt(value.length)), value);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(Buffer.concat(this.#parts));
  }
}
