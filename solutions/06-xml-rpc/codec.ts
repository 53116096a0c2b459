import { RpcError } from "../../shared/rpc-error.js";
import { childElements, isXmlChar, shorten, textContent, type XmlElement } from "./xml-reader.js";

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

/**
 * Escapes text for element content. `&` and `<` must be escaped; `>` too, so that "]]>" never
 * appears; and a CR, which a reader would turn into LF (&#13; survives). A character XML 1.0
 * cannot carry at all (isXmlChar; U+0000, U+FFFE, a lone surrogate) cannot be escaped either:
 * refuse it with `invalid(...)`, naming it as U+XXXX. A surrogate pair is one character.
 */
export function escapeText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (!isXmlChar(code)) {
      const hex = code.toString(16).toUpperCase().padStart(4, "0");
      throw invalid(`U+${hex} cannot be written in XML 1.0; send such bytes as a Uint8Array`);
    }
    if (code > 0xffff) i++; // the second half of a surrogate pair
  }
  return text.replace(/[&<>\r]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#13;",
  );
}

/** The `<value>` element for a value. */
export function encodeValue(value: unknown): string {
  const out: string[] = [];
  /**
   * Appends the `<value>` element for `value` to `out`, following the table at the top of this
   * file (numbers: `encodeNumber`, dates: `encodeDate`, a Uint8Array: only the bytes of its own
   * view, in base64; plain objects only: `isPlainObject`). Pushing pieces and joining once at the
   * end keeps it linear; building one long string piece by piece is quadratic. `ancestors` holds
   * the arrays and structs being written (`enter` before their items, delete after): a value that
   * contains itself would never end. A bigint outside 32 bits, or a value with no XML-RPC type
   * (a function, a Map, a class instance), is refused with `invalid(...)` naming its kind.
   */
  writeValue(value, out, new Set());
  return out.join("");
}

/** Appends to `out` and joins once at the end: building one long string piece by piece is quadratic. */
export function writeValue(value: unknown, out: string[], ancestors: Set<object>): void {
  out.push("<value>");
  if (value === null || value === undefined) {
    out.push("<nil/>");
  } else if (typeof value === "boolean") {
    out.push(value ? "<boolean>1</boolean>" : "<boolean>0</boolean>");
  } else if (typeof value === "number") {
    out.push(encodeNumber(value));
  } else if (typeof value === "bigint") {
    if (value < INT_MIN || value > INT_MAX) {
      throw invalid(`${value} does not fit XML-RPC's 32-bit <int>`);
    }
    out.push(`<int>${value}</int>`);
  } else if (typeof value === "string") {
    out.push("<string>", escapeText(value), "</string>");
  } else if (value instanceof Date) {
    out.push("<dateTime.iso8601>", encodeDate(value), "</dateTime.iso8601>");
  } else if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    out.push("<base64>", bytes.toString("base64"), "</base64>");
  } else if (Array.isArray(value)) {
    enter(value, ancestors);
    out.push("<array><data>");
    for (const item of value) writeValue(item, out, ancestors);
    out.push("</data></array>");
    ancestors.delete(value);
  } else if (isPlainObject(value)) {
    enter(value, ancestors);
    out.push("<struct>");
    for (const [name, member] of Object.entries(value)) {
      out.push("<member><name>", escapeText(name), "</name>");
      writeValue(member, out, ancestors);
      out.push("</member>");
    }
    out.push("</struct>");
    ancestors.delete(value);
  } else {
    const kind = typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
    throw invalid(`XML-RPC has no type for ${kind}`);
  }
  out.push("</value>");
}

/**
 * An integer from INT_MIN to INT_MAX is an `<int>`; any other finite number a `<double>`, as
 * the shortest text that reads back as the same number (String(n)); -0 keeps its sign as
 * "-0.0". NaN and the infinities have no XML-RPC form: refuse them with `invalid(...)`.
 */
function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw invalid(`XML-RPC has no ${n}: a <double> must be finite`);
  if (Number.isInteger(n) && n >= INT_MIN && n <= INT_MAX && !Object.is(n, -0)) {
    return `<int>${n}</int>`;
  }
  // The shortest text that reads back as the same double (it may use an exponent, as
  // Python's repr() does). -0 keeps its sign.
  return `<double>${Object.is(n, -0) ? "-0.0" : String(n)}</double>`;
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

const isXmlSpace = (code: number) => code === 0x20 || code === 0x9 || code === 0xa || code === 0xd;

/**
 * The text of a scalar without the XML whitespace around it, in linear time. Not the regex
 * /^\s+|\s+$/g: its second half is tried at every position of a long run of spaces that does
 * not reach the end, and `<double>1` + 100,000 spaces + `2</double>` then costs seconds.
 */
export function trimXmlSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

const trimmed = (element: XmlElement) => trimXmlSpace(textContent(element));

/**
 * Reads a `<value>` element back into a JavaScript value; anything that is not a `<value>` is
 * `malformed(...)`. A value with text only (or nothing) is a string, whitespace and all.
 * Otherwise it holds exactly one typed element (whitespace around it aside), whose name may
 * carry a namespace prefix that means nothing here (Apache's `<ex:i8>`, `<ex:nil/>`). Each
 * type has its reader below; scalars other than `<string>` and `<base64>` are read without the
 * whitespace around them (`trimmed`). An unknown type is `malformed(...)`, naming it
 * (`shorten` keeps a quoted name or value short).
 */
export function decodeValue(value: XmlElement): XmlRpcValue {
  if (value.name !== "value") throw malformed(`expected <value>, found <${shorten(value.name)}>`);
  // No type element: the text itself is a string, whitespace and all.
  if (value.children.every((child) => typeof child === "string")) return textContent(value);
  const typed = childElements(value);
  if (typed.length > 1) throw malformed("a <value> holds one typed element");
  const element = typed[0]!;
  // Apache's extensions come namespaced (<ex:i8>, <ex:nil/>); the prefix carries no meaning here.
  const type = element.name.replace(/^[\w.-]+:/, "");
  switch (type) {
    case "int":
    case "i4":
      return decodeInt(trimmed(element), type);
    case "i8":
      return decodeI8(trimmed(element));
    case "boolean": {
      const text = trimmed(element);
      if (text !== "0" && text !== "1")
        throw malformed(`<boolean> is 0 or 1, not "${shorten(text)}"`);
      return text === "1";
    }
    case "string":
      return textContent(element);
    case "double":
      return decodeDouble(trimmed(element));
    case "dateTime.iso8601":
      return decodeDate(trimmed(element));
    case "base64":
      return decodeBase64(textContent(element));
    case "nil":
      if (element.children.length && trimmed(element)) throw malformed("<nil/> must be empty");
      return null;
    case "array":
      return decodeArray(element);
    case "struct":
      return decodeStruct(element);
    default:
      throw malformed(`<${shorten(element.name)}> is not an XML-RPC type`);
  }
}

/**
 * An `<int>` or `<i4>`: an optional sign and digits, nothing else, within INT_MIN..INT_MAX
 * (outside it, an error that says "out of 32-bit range"). "-0" reads as 0. Quote the text in
 * an error with `shorten`: a fault must not echo a 200 kB value back.
 */
function decodeInt(text: string, tag: string): number {
  if (!/^[+-]?\d+$/.test(text))
    throw malformed(`<${tag}> must hold an integer, not "${shorten(text)}"`);
  const n = Number(text);
  if (n < INT_MIN || n > INT_MAX)
    throw malformed(`<${tag}> "${shorten(text)}" is out of 32-bit range`);
  return n === 0 ? 0 : n; // "-0" reads as 0
}

/** <i8> is an extension (Apache, Python reads it too). A number holds it while it is exact. */
function decodeI8(text: string): number {
  if (!/^[+-]?\d+$/.test(text))
    throw malformed(`<i8> must hold an integer, not "${shorten(text)}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw malformed(
      `<i8> "${shorten(text)}" is beyond 2^53, where a JavaScript number loses digits`,
    );
  }
  return n === 0 ? 0 : n;
}

function decodeDouble(text: string): number {
  // Digits only: no "inf", "nan" or hexadecimal, which Number() would otherwise accept. The
  // fraction is `(?:\.\d*)?`, not `\.?\d*`: that would let two runs of digits share one string
  // of digits in n ways, and a long one that fails at its end would cost n² steps.
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) {
    throw malformed(`<double> must hold a decimal number, not "${shorten(text)}"`);
  }
  const n = Number(text);
  if (!Number.isFinite(n)) throw malformed(`<double> "${shorten(text)}" is out of range`);
  return n;
}

/** 19980717T14:08:55, also with dashes, a fraction and a zone. Without a zone, it is UTC. */
function decodeDate(text: string): Date {
  const match =
    /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (!match)
    throw malformed(`"${shorten(text)}" is not a dateTime.iso8601 such as 19980717T14:08:55`);
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
    throw malformed(`"${shorten(text)}" is not a real date and time`);
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

/** An `<array>` holds exactly one `<data>`, which holds the items' `<value>`s. */
function decodeArray(array: XmlElement): XmlRpcValue[] {
  const [data, ...rest] = childElements(array);
  if (!data || data.name !== "data" || rest.length) {
    throw malformed("an <array> holds exactly one <data>");
  }
  return childElements(data).map(decodeValue);
}

/**
 * A `<struct>` holds `<member>`s, each with one `<name>` and one `<value>`. Every member must
 * become an own property, "__proto__" included: `result[name] = value` would replace the
 * object's prototype instead.
 */
function decodeStruct(struct: XmlElement): XmlRpcStruct {
  const result: XmlRpcStruct = {};
  for (const member of childElements(struct)) {
    if (member.name !== "member")
      throw malformed(`a <struct> holds <member>s, not <${shorten(member.name)}>`);
    const parts = childElements(member);
    const name = parts.find((part) => part.name === "name");
    const value = parts.find((part) => part.name === "value");
    if (parts.length !== 2 || !name || !value) {
      throw malformed("a <member> holds one <name> and one <value>");
    }
    // defineProperty, not result[name] = ...: a member called "__proto__" must become an own
    // property, not replace the object's prototype.
    Object.defineProperty(result, textContent(name), {
      value: decodeValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
