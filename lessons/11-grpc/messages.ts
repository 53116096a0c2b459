import { todo } from "../../shared/todo.js";

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

/**
 * Encodes a message by its schema. double → I64 field, sint64 → VARINT of the zigzagged value,
 * string → LEN field of UTF-8, "packed sint64" → one LEN field holding the zigzagged varints
 * back to back. proto3 leaves a field at its default (0, 0n, "", []) off the wire.
 */
export function encodeMessage<S extends Schema>(
  _schema: S,
  _message: Partial<MessageOf<S>>,
): Uint8Array {
  return todo("task 3: encodeMessage");
}

/**
 * Decodes a message by its schema, every absent field at its default. Unknown field numbers
 * are skipped, by `decodeFields`' `keep` so that they cost nothing: a newer writer may have
 * added fields this reader has never heard of. A known field with the wrong wire type is
 * RpcError("bad_message"): the bytes mean something else. A string must be valid UTF-8.
 */
export function decodeMessage<S extends Schema>(_schema: S, _bytes: Uint8Array): MessageOf<S> {
  return todo("task 3: decodeMessage");
}
