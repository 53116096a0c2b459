import { RpcError } from "../../shared/rpc-error.js";
import {
  decodeFields,
  decodeVarint,
  encodeVarint,
  ProtoWriter,
  WireType,
  zigzagDecode,
  zigzagEncode,
} from "./protobuf.js";

/**
 * The calculator's messages (calculator.proto), described as data: field name → number and
 * type. One encoder and one decoder read these descriptions; proto3 leaves a field at its
 * default (0, "") off the wire, and a reader fills the default back in.
 */
export type FieldType = "double" | "sint64" | "string" | "packed sint64";
export type Schema = Record<string, { no: number; type: FieldType }>;

export const Pair = { a: { no: 1, type: "double" }, b: { no: 2, type: "double" } } satisfies Schema;
export const NumberMessage = { value: { no: 1, type: "double" } } satisfies Schema;
export const Name = { name: { no: 1, type: "string" } } satisfies Schema;
export const Greeting = { message: { no: 1, type: "string" } } satisfies Schema;
export const Range = {
  from: { no: 1, type: "sint64" },
  to: { no: 2, type: "sint64" },
  step: { no: 3, type: "sint64" },
} satisfies Schema;
export const Numbers = { values: { no: 1, type: "packed sint64" } } satisfies Schema;

type ValueOf<T extends FieldType> = T extends "double"
  ? number
  : T extends "sint64"
    ? bigint
    : T extends "string"
      ? string
      : bigint[];
export type MessageOf<S extends Schema> = { [K in keyof S]: ValueOf<S[K]["type"]> };

export function encodeMessage<S extends Schema>(
  schema: S,
  message: Partial<MessageOf<S>>,
): Uint8Array {
  const out = new ProtoWriter();
  for (const [name, { no, type }] of Object.entries(schema)) {
    const value = (message as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (type === "double" && value !== 0) out.double(no, value as number);
    else if (type === "sint64" && value !== 0n) out.varint(no, zigzagEncode(value as bigint));
    else if (type === "string" && value !== "") out.bytes(no, Buffer.from(value as string, "utf8"));
    else if (type === "packed sint64" && (value as bigint[]).length > 0) {
      // Packed: one LEN field holding the varints back to back, not one key per element.
      const varints = (value as bigint[]).map((v) => encodeVarint(zigzagEncode(v)));
      out.bytes(no, Buffer.concat(varints));
    }
  }
  return out.finish();
}

const DEFAULTS: Record<FieldType, () => unknown> = {
  double: () => 0,
  sint64: () => 0n,
  string: () => "",
  "packed sint64": () => [],
};

const EXPECTED_WIRE: Record<FieldType, WireType> = {
  double: WireType.I64,
  sint64: WireType.VARINT,
  string: WireType.LEN,
  "packed sint64": WireType.LEN,
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Unknown field numbers are skipped: a newer writer may have added fields this reader has
 * never heard of. A known field with the wrong wire type is refused: the bytes mean something
 * else than the schema says.
 */
export function decodeMessage<S extends Schema>(schema: S, bytes: Uint8Array): MessageOf<S> {
  const byNumber = new Map(
    Object.entries(schema).map(([name, spec]) => [spec.no, { name, ...spec }]),
  );
  const message: Record<string, unknown> = {};
  for (const [name, { type }] of Object.entries(schema)) message[name] = DEFAULTS[type]();
  // Unknown fields are skipped inside decodeFields, costing nothing but the pass over them.
  for (const { field, wireType, value } of decodeFields(bytes, (no) => byNumber.has(no))) {
    const spec = byNumber.get(field)!;
    if (spec.type === "packed sint64" && wireType === WireType.VARINT) {
      (message[spec.name] as bigint[]).push(zigzagDecode(value as bigint)); // unpacked form
      continue;
    }
    if (wireType !== EXPECTED_WIRE[spec.type]) {
      throw new RpcError(
        "bad_message",
        `field ${field} (${spec.name}) has wire type ${wireType}, expected ${EXPECTED_WIRE[spec.type]}`,
      );
    }
    message[spec.name] = readValue(spec.type, value, message[spec.name]);
  }
  return message as MessageOf<S>;
}

function readValue(type: FieldType, value: bigint | Uint8Array, current: unknown): unknown {
  switch (type) {
    case "double":
      return Buffer.from(
        (value as Uint8Array).buffer,
        (value as Uint8Array).byteOffset,
        8,
      ).readDoubleLE(0);
    case "sint64":
      return zigzagDecode(value as bigint);
    case "string":
      try {
        return utf8.decode(value as Uint8Array);
      } catch (cause) {
        throw new RpcError("bad_message", "a string field is not valid UTF-8", { cause });
      }
    case "packed sint64": {
      const bytes = value as Uint8Array;
      const list = current as bigint[];
      for (let offset = 0; offset < bytes.length;) {
        const [v, next] = decodeVarint(bytes, offset);
        list.push(zigzagDecode(v));
        offset = next;
      }
      return list;
    }
  }
}
