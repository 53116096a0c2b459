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

/** Little-endian base 128: 7 bits per byte, low group first, high bit set on all but the last. */
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

/** Reads a varint at `offset`; returns it and the offset after it. */
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

/** Zigzag maps 0, -1, 1, -2 ... to 0, 1, 2, 3 ..., so small negatives stay short (sint64). */
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

/** Splits a message into its fields. Every length is checked against the bytes there are. */
export function decodeFields(bytes: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const [key, afterKey] = decodeVarint(bytes, offset);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field < 1 || field > 0x1fffffff)
      throw new RpcError("bad_message", `bad field number ${field}`);
    offset = afterKey;
    switch (wireType) {
      case WireType.VARINT: {
        const [value, next] = decodeVarint(bytes, offset);
        fields.push({ field, wireType, value });
        offset = next;
        break;
      }
      case WireType.I64:
      case WireType.I32: {
        const size = wireType === WireType.I64 ? 8 : 4;
        fields.push({ field, wireType, value: take(bytes, offset, size) });
        offset += size;
        break;
      }
      case WireType.LEN: {
        const [length, next] = decodeVarint(bytes, offset);
        const value = take(
          bytes,
          next,
          Number(BigInt.asUintN(32, length) === length ? length : -1n),
        );
        fields.push({ field, wireType, value });
        offset = next + value.length;
        break;
      }
      default:
        throw new RpcError("bad_message", `unknown wire type ${wireType} (field ${field})`);
    }
  }
  return fields;
}

function take(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  if (length < 0 || offset + length > bytes.length) {
    throw new RpcError("bad_message", "truncated message: a field runs past the end");
  }
  return bytes.subarray(offset, offset + length);
}

/** Collects fields; `finish()` joins them once. */
export class ProtoWriter {
  readonly #parts: Uint8Array[] = [];

  #key(field: number, wireType: WireType): void {
    this.#parts.push(encodeVarint(BigInt((field << 3) | wireType)));
  }

  varint(field: number, value: bigint): this {
    this.#key(field, WireType.VARINT);
    this.#parts.push(encodeVarint(value));
    return this;
  }

  double(field: number, value: number): this {
    this.#key(field, WireType.I64);
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeDoubleLE(value, 0);
    this.#parts.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#key(field, WireType.LEN);
    this.#parts.push(encodeVarint(BigInt(value.length)), value);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(Buffer.concat(this.#parts));
  }
}
