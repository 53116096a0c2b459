import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import { childElements, isXmlChar, textContent, type XmlElement } from "./xml-reader.js";

/**
 * XML-RPC values ↔ XML, by hand. Each JavaScript type maps to one XML-RPC type:
 *
 *   number, an integer in 32-bit range   <int>        other finite numbers   <double>
 *   boolean                              <boolean>    string                 <string>
 *   Date (UTC, whole seconds)       <dateTime.iso8601>  Uint8Array (Buffer)  <base64>
 *   array                                <array>      plain object           <struct>
 *   null, undefined                      <nil/>       (an extension; Python: allow_none=True)
 */
export type XmlRpcValue =
  number | boolean | string | Date | Uint8Array | null | XmlRpcValue[] | XmlRpcStruct;

export interface XmlRpcStruct {
  [member: string]: XmlRpcValue;
}

export const INT_MIN = -(2 ** 31);
export const INT_MAX = 2 ** 31 - 1;

const invalid = (message: string) => new RpcError("invalid_argument", message);
const malformed = (message: string) => new RpcError("bad_message", message);

// ---------------------------------------------------------------------------------------------
// Encoding

/** Escapes text for element content: & and < must be, > is for "]]>", CR would read as LF. */
export function escapeText(text: string): string {
  // Task 1: refuse characters XML 1.0 cannot carry (isXmlChar; walk by code point, a pair of
  // surrogates is one character) with invalid(...), then escape & as &amp;, < as &lt;, > as
  // &gt; and "\r" as &#13; (a raw CR would be read back as LF).
  // Useful: text.codePointAt(i), text.replace(/[&<>\r]/g, (c) => ...)
  void invalid;
  return todo("task 1: escapeText");
}

/** The `<value>` element for a value. */
export function encodeValue(value: unknown): string {
  const out: string[] = [];
  writeValue(value, out, new Set());
  return out.join("");
}

/** Appends to `out` and joins once at the end: building one long string piece by piece is quadratic. */
export function writeValue(value: unknown, out: string[], ancestors: Set<object>): void {
  // Task 1: push "<value>", the typed element for `value`, then "</value>" (the table at
  // the top of this file): null and undefined → <nil/>; booleans → <boolean>1</boolean>;
  // numbers → encodeNumber; a bigint in 32-bit range → <int>, any other → invalid(...);
  // strings → <string> with escapeText; Date → <dateTime.iso8601> with encodeDate;
  // Uint8Array → <base64> (only the view's own bytes); arrays → <array><data>...</data></array>;
  // plain objects (isPlainObject) → <struct><member><name>...</name><value>...</member>...;
  // anything else → throw invalid(`XML-RPC has no type for ...`).
  // Arrays and structs: enter(value, ancestors) before the items, ancestors.delete(value) after.
  // Useful: Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("base64")
  void [value, out, ancestors, isPlainObject, enter, encodeDate, encodeNumber];
  return todo("task 1: writeValue");
}

function encodeNumber(n: number): string {
  // Task 1: NaN and ±Infinity → throw invalid(...). An integer from INT_MIN to INT_MAX →
  // <int>; anything else → <double> with String(n), except -0, which is "-0.0".
  // Useful: Number.isFinite, Number.isInteger, Object.is(n, -0)
  return todo("task 1: encodeNumber");
}

/** 19980717T14:08:55 — the specification's form: no zone (we write UTC), whole seconds. */
function encodeDate(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw invalid("an invalid Date cannot be sent");
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw invalid(`year ${year} does not fit dateTime.iso8601`);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${String(year).padStart(4, "0")}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}` +
    `T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function enter(value: object, ancestors: Set<object>): void {
  if (ancestors.has(value)) throw invalid("a value that contains itself cannot be sent");
  ancestors.add(value);
}

// ---------------------------------------------------------------------------------------------
// Decoding

const trimmed = (element: XmlElement) =>
  textContent(element).replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, "");

/** Reads a `<value>` element back into a JavaScript value. */
export function decodeValue(value: XmlElement): XmlRpcValue {
  // Task 3: `value` must be a <value> element, else throw malformed(...).
  //   - only text inside (or nothing): it is a string, whitespace and all (textContent);
  //   - else exactly one typed element (childElements skips the whitespace around it).
  //     Strip a namespace prefix (<ex:i8> is <i8>) and switch on its name:
  //     int / i4 → decodeInt;  i8 → decodeI8;  boolean → "0" or "1" only;
  //     string → its text as is;  double → decodeDouble;  dateTime.iso8601 → decodeDate;
  //     base64 → decodeBase64;  nil → null;  array → decodeArray;  struct → decodeStruct;
  //     anything else → throw malformed(`<float> is not an XML-RPC type`).
  //   Scalars other than string are read trimmed: trimmed(element).
  void [trimmed, childElements, decodeInt, decodeI8, decodeDouble, decodeDate, decodeBase64];
  void [decodeArray, decodeStruct];
  return todo("task 3: decodeValue");
}

function decodeInt(text: string, tag: string): number {
  // Task 3: digits with an optional sign only (/^[+-]?\d+$/); a value outside INT_MIN..INT_MAX
  // is an error that says "out of 32-bit range". "-0" reads as 0.
  void [text, tag];
  return todo("task 3: decodeInt");
}

function decodeI8(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw malformed(`<i8> must hold an integer, not "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw malformed(`<i8>${text}</i8> is beyond 2^53, where a JavaScript number loses digits`);
  }
  return n === 0 ? 0 : n;
}

function decodeDouble(text: string): number {
  // Digits only: no "inf", "nan" or hexadecimal, which Number() would otherwise accept.
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) {
    throw malformed(`<double> must hold a decimal number, not "${text}"`);
  }
  const n = Number(text);
  if (!Number.isFinite(n)) throw malformed(`<double>${text}</double> is out of range`);
  return n;
}

/** 19980717T14:08:55, also with dashes, a fraction and a zone. Without a zone, it is UTC. */
function decodeDate(text: string): Date {
  const match =
    /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (!match) throw malformed(`"${text}" is not a dateTime.iso8601 such as 19980717T14:08:55`);
  const [, y, mo, d, h, mi, s, fraction = "", zone = "Z"] = match;
  const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
  // Not Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), ms);
  // Date rolls 31 February over into March; a wrong field is an error instead.
  if (
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    date.getUTCHours() !== Number(h) ||
    date.getUTCMinutes() !== Number(mi) ||
    date.getUTCSeconds() !== Number(s)
  ) {
    throw malformed(`"${text}" is not a real date and time`);
  }
  if (zone !== "Z") {
    const [, sign, hours, minutes] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(hours) * 60 + Number(minutes)) * 60_000;
    date.setTime(date.getTime() - (sign === "+" ? offset : -offset));
  }
  return date;
}

function decodeBase64(text: string): Uint8Array {
  // Python writes 76 characters per line; Buffer.from would also skip garbage, so check first.
  const compact = text.replace(/[ \t\n\r]+/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    throw malformed("<base64> holds characters or padding base64 does not have");
  }
  return new Uint8Array(Buffer.from(compact, "base64"));
}

function decodeArray(array: XmlElement): XmlRpcValue[] {
  // Task 3: an <array> holds exactly one <data>, which holds <value>s: decode each.
  void array;
  return todo("task 3: decodeArray");
}

function decodeStruct(struct: XmlElement): XmlRpcStruct {
  // Task 3: a <struct> holds <member>s; each holds one <name> and one <value>. Define each
  // member with Object.defineProperty(result, name, { value, enumerable: true, writable: true,
  // configurable: true }): `result[name] = value` with the name "__proto__" would replace the
  // object's prototype instead of adding a member.
  void struct;
  return todo("task 3: decodeStruct");
}
