import {
  decodeMessage,
  Greeting,
  Name,
  NumberMessage,
  Pair,
  Range,
  type Schema,
} from "../../solutions/11-grpc/messages.js";
import { decodeFields, WireType } from "../../solutions/11-grpc/protobuf.js";
import { calculatorService } from "../../solutions/11-grpc/server.js";
import { Arguments, MODULE_SERVICE, Result } from "../lib/grpc-module.js";
import { brief } from "./message.js";

/**
 * gRPC's payload on an HTTP/2 stream: messages with a 5-byte prefix (compressed flag, u32
 * length), read with the schema of the stream's method (its :path) when the course knows it:
 * lesson 11's calc.Calculator, or npm run serve's course.Module. Other methods show field
 * numbers and wire types.
 */
export const GRPC_STATUS = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
  "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
  "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
]; // prettier-ignore

/** Schema names for the lines: the message names of calculator.proto. */
const SCHEMA_NAMES = new Map<Schema, string>([
  [Pair, "Pair"],
  [NumberMessage, "Number"],
  [Name, "Name"],
  [Greeting, "Greeting"],
  [Range, "Range"],
  [Arguments, "Arguments"],
  [Result, "Result"],
]);

/** The request and response schemas of a :path, when the course knows the method. */
export function schemasOf(
  path: string | undefined,
): { request: Schema; response: Schema } | undefined {
  if (!path) return undefined;
  if (Object.hasOwn(calculatorService, path)) return calculatorService[path];
  if (path.startsWith(`/${MODULE_SERVICE}/`)) return { request: Arguments, response: Result };
  return undefined;
}

/** "Pair { a: 1, b: 2 }", or the raw fields when the schema is unknown or does not fit. */
export function describeProtobuf(bytes: Uint8Array, schema: Schema | undefined): string {
  if (schema) {
    try {
      const message = decodeMessage(schema, bytes) as Record<string, unknown>;
      const fields = Object.entries(message).map(
        ([name, value]) => `${name}: ${brief(value, 200)}`,
      );
      return `${SCHEMA_NAMES.get(schema) ?? "message"} { ${fields.join(", ")} }`;
    } catch (error) {
      return `not the expected message (${(error as Error).message}): ${rawFields(bytes)}`;
    }
  }
  return rawFields(bytes);
}

const WIRE_NAMES: Record<number, string> = {
  [WireType.VARINT]: "varint",
  [WireType.I64]: "i64",
  [WireType.LEN]: "len",
  [WireType.I32]: "i32",
};

function rawFields(bytes: Uint8Array): string {
  try {
    const fields = decodeFields(bytes).map(
      ({ field, wireType, value }) => `${field} (${WIRE_NAMES[wireType]}): ${rawValue(value)}`,
    );
    return `fields { ${fields.join(", ")} }`;
  } catch (error) {
    return `not protobuf (${(error as Error).message})`;
  }
}

/** A varint as a number; bytes as text when they are printable UTF-8, else as hex. */
function rawValue(value: bigint | Uint8Array): string {
  if (typeof value === "bigint") return String(value);
  const text = Buffer.from(value).toString("utf8");
  if (/^[\x20-\x7e]*$/.test(text)) return brief(text, 80);
  return brief(new Uint8Array(value), 80);
}
