import { RpcError } from "./rpc-error.js";

/**
 * JSON in which integers past 2^53 stay exact, as Python's json keeps them: such an integer
 * parses as a bigint, and a bigint is written as its digits. Everything else is JSON.parse and
 * JSON.stringify, and a text that holds no such integer takes exactly their path.
 *
 * How: when JSON.parse's result holds an integer a double cannot keep, the text is parsed
 * again, each unsafe integer outside strings first rewritten as a marked string, which the
 * reviver turns into a bigint; after writing, each marked string becomes its digits again.
 * Linear in the length of the text.
 */

// A prefix no decoded string may start with (checked), so a marker cannot be forged.
const MARK = "\u0000\u0001exact:";
const MARKED = /"\\u0000\\u0001exact:(-?\d+)"/g;

export function parseExactJson(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  if (!holdsUnsafeInteger(parsed)) return parsed;
  return JSON.parse(markUnsafeIntegers(text), (_key, value: unknown) => {
    if (typeof value !== "string" || !value.startsWith(MARK)) return value;
    return BigInt(value.slice(MARK.length));
  });
}

export function stringifyExactJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === "bigint") return MARK + item.toString();
    if (typeof item === "string" && item.startsWith(MARK)) {
      throw new RpcError("invalid_argument", "a string may not start with \\u0000\\u0001exact:");
    }
    return item;
  });
  return text.replace(MARKED, "$1");
}

/**
 * Whether a parsed value holds an integer past 2^53, whose digits JSON.parse may have lost.
 * Checked on the value rather than by scanning the text (for a run of 16 digits): ids of hex
 * digits make such a scan slow, and this walk is quicker still. A loop, not recursion: a deeply
 * nested text must not overflow the stack.
 */
function holdsUnsafeInteger(parsed: unknown): boolean {
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "number") {
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === "object" && value !== null) {
      for (const key in value) pending.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** Rewrites every integer literal outside strings that a double cannot hold exactly. */
function markUnsafeIntegers(text: string): string {
  if (text.includes("\\u0000\\u0001exact:")) {
    throw new RpcError("bad_message", "the JSON text holds a reserved string");
  }
  const number = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      i += 1;
      while (i < text.length && text.charCodeAt(i) !== 0x22)
        i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i += 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      number.lastIndex = i;
      const literal = number.exec(text)?.[0] ?? text[i]!;
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += text.slice(copied, i) + JSON.stringify(MARK + BigInt(literal).toString());
        copied = i + literal.length;
      }
      i += literal.length;
    } else {
      i += 1;
    }
  }
  return out + text.slice(copied);
}
