import { todo } from "../../shared/todo.js";

/**
 * Protobuf's wire format: a message is a list of fields, each a key then a value.
 * The key is a varint: (field number << 3) | wire type. The wire type says how to find the
 * value's end, so a reader can skip a field it does not know.
 */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

/** A varint carries 7 bits per byte: 64 bits need at most 10 bytes. */
export const MAX_VARINT_BYTES = 10;

/**
 * A varint: 7 bits per byte, the lowest group first; every byte but the last has its high bit
 * (0x80) set. 150 → 96 01. A negative value is its 64-bit two's complement (always 10 bytes).
 */
export function encodeVarint(_value: bigint): Uint8Array {
  return todo("task 1: encodeVarint");
}

/**
 * Reads the varint at `offset`; returns it (as an unsigned 64-bit bigint) and the offset after
 * it. Throws RpcError("bad_message") when the bytes end inside it or it runs over 10 bytes:
 * a hostile peer must not make the reader loop on.
 */
export function decodeVarint(_bytes: Uint8Array, _offset: number): [value: bigint, next: number] {
  return todo("task 1: decodeVarint");
}

/**
 * Zigzag, for sint32/sint64: 0, -1, 1, -2, 2 ... → 0, 1, 2, 3, 4 ..., so a small negative
 * number is a short varint, not ten bytes. Encode: (n << 1) ^ (n >> 63), as an unsigned 64-bit.
 */
export function zigzagEncode(_value: bigint): bigint {
  return todo("task 1: zigzagEncode");
}

export function zigzagDecode(_value: bigint): bigint {
  return todo("task 1: zigzagDecode");
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
  _bytes: Uint8Array,
  _keep: (field: number) => boolean = () => true,
): RawField[] {
  return todo("task 2: decodeFields");
}

/** Collects fields (key, then value); `finish()` joins them into one message. */
export class ProtoWriter {
  /** A VARINT field. */
  varint(_field: number, _value: bigint): this {
    return todo("task 2: ProtoWriter.varint");
  }

  /** An I64 field holding a double, little-endian. */
  double(_field: number, _value: number): this {
    return todo("task 2: ProtoWriter.double");
  }

  /** A LEN field: the length as a varint, then the bytes (strings, nested or packed fields). */
  bytes(_field: number, _value: Uint8Array): this {
    return todo("task 2: ProtoWriter.bytes");
  }

  finish(): Uint8Array {
    return todo("task 2: ProtoWriter.finish");
  }
}
