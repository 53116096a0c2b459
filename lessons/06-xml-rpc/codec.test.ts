import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { anyString } from "../../shared/testing/arbitraries.js";
import { decodeValue, encodeValue, type XmlRpcValue } from "./codec.js";
import { parseXml } from "./xml-reader.js";

/** Reads one <value> document, as the server and the client will. */
const read = (xml: string) => decodeValue(parseXml(xml));

function rejects(run: () => unknown, code: string, pattern?: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error, "throw an RpcError, so a caller can branch on its code").toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe(code);
    if (pattern) expect((error as Error).message).toMatch(pattern);
    return;
  }
  expect.unreachable(`expected an RpcError with code "${code}"`);
}

describe("task 1: write values as XML", () => {
  it("writes integers in 32-bit range as <int>", () => {
    expect(encodeValue(42)).toBe("<value><int>42</int></value>");
    expect(encodeValue(-7)).toBe("<value><int>-7</int></value>");
    expect(encodeValue(2 ** 31 - 1)).toBe("<value><int>2147483647</int></value>");
    expect(encodeValue(-(2 ** 31))).toBe("<value><int>-2147483648</int></value>");
  });

  it("writes other numbers as <double>", () => {
    expect(encodeValue(2.5)).toBe("<value><double>2.5</double></value>");
    expect(encodeValue(2 ** 31), "an integer past 2^31 - 1 does not fit <int>").toBe(
      "<value><double>2147483648</double></value>",
    );
    expect(encodeValue(-0), "-0 keeps its sign as a double").toBe(
      "<value><double>-0.0</double></value>",
    );
  });

  it("refuses NaN, Infinity and big integers, which XML-RPC cannot say", () => {
    rejects(() => encodeValue(Number.NaN), "invalid_argument");
    rejects(() => encodeValue(Number.POSITIVE_INFINITY), "invalid_argument");
    rejects(() => encodeValue(2n ** 40n), "invalid_argument", /32-bit/);
    expect(encodeValue(5n), "a bigint that fits is still an int").toBe(
      "<value><int>5</int></value>",
    );
  });

  it("writes booleans as 1 and 0, and null or undefined as <nil/>", () => {
    expect(encodeValue(true)).toBe("<value><boolean>1</boolean></value>");
    expect(encodeValue(false)).toBe("<value><boolean>0</boolean></value>");
    expect(encodeValue(null)).toBe("<value><nil/></value>");
    expect(encodeValue(undefined)).toBe("<value><nil/></value>");
  });

  it("escapes what XML needs escaped in strings", () => {
    expect(encodeValue("a < b && c > d")).toBe(
      "<value><string>a &lt; b &amp;&amp; c &gt; d</string></value>",
    );
    expect(encodeValue("line\r\nend"), "a raw CR would be read back as LF: write &#13;").toBe(
      "<value><string>line&#13;\nend</string></value>",
    );
    expect(encodeValue("")).toBe("<value><string></string></value>");
    expect(encodeValue("世界 🌍")).toBe("<value><string>世界 🌍</string></value>");
  });

  it("refuses characters XML 1.0 cannot carry at all", () => {
    rejects(() => encodeValue("bell\u0007"), "invalid_argument", /U\+0007/);
    rejects(() => encodeValue("\u0000"), "invalid_argument");
    rejects(() => encodeValue("half a pair \uD800"), "invalid_argument");
  });

  it("writes a Date as dateTime.iso8601 in UTC, to the second", () => {
    expect(encodeValue(new Date("1998-07-17T14:08:55Z"))).toBe(
      "<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>",
    );
    expect(encodeValue(new Date("2024-02-29T23:59:59.999Z")), "milliseconds are dropped").toBe(
      "<value><dateTime.iso8601>20240229T23:59:59</dateTime.iso8601></value>",
    );
    rejects(() => encodeValue(new Date("not a date")), "invalid_argument");
  });

  it("writes bytes as base64", () => {
    expect(encodeValue(new Uint8Array([0, 255, 1]))).toBe("<value><base64>AP8B</base64></value>");
    expect(encodeValue(Buffer.from("hi"))).toBe("<value><base64>aGk=</base64></value>");
    const slice = new Uint8Array([9, 9, 104, 105, 9]).subarray(2, 4);
    expect(encodeValue(slice), "a view writes only its own bytes").toBe(
      "<value><base64>aGk=</base64></value>",
    );
  });

  it("writes arrays and structs, nested", () => {
    expect(encodeValue([1, "a"])).toBe(
      "<value><array><data><value><int>1</int></value><value><string>a</string></value></data></array></value>",
    );
    expect(encodeValue([])).toBe("<value><array><data></data></array></value>");
    expect(encodeValue({ "x&y": [true] })).toBe(
      "<value><struct><member><name>x&amp;y</name><value><array><data>" +
        "<value><boolean>1</boolean></value></data></array></value></member></struct></value>",
    );
  });

  it("refuses values with no XML-RPC type, and values that contain themselves", () => {
    rejects(() => encodeValue(() => 1), "invalid_argument");
    rejects(() => encodeValue(new Map([["a", 1]])), "invalid_argument", /Map/);
    rejects(() => encodeValue(Symbol("s")), "invalid_argument");
    const loop: unknown[] = [];
    loop.push(loop);
    rejects(() => encodeValue(loop), "invalid_argument");
    const shared = [1];
    expect(encodeValue([shared, shared]), "the same array twice is not a loop").toContain(
      "<int>1</int>",
    );
  });
});

describe("task 3: read values back", () => {
  it("reads every scalar type", () => {
    expect(read("<value><int>42</int></value>")).toBe(42);
    expect(read("<value><i4>-7</i4></value>")).toBe(-7);
    expect(read("<value><boolean>1</boolean></value>")).toBe(true);
    expect(read("<value><boolean>0</boolean></value>")).toBe(false);
    expect(read("<value><string>a &lt; b</string></value>")).toBe("a < b");
    expect(read("<value><double>-2.5</double></value>")).toBe(-2.5);
    expect(read("<value><double>1e+300</double></value>"), "Python writes exponents").toBe(1e300);
    expect(read("<value><nil/></value>")).toBeNull();
    expect(read("<value><base64>AP8B</base64></value>")).toEqual(new Uint8Array([0, 255, 1]));
    expect(read("<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>")).toEqual(
      new Date("1998-07-17T14:08:55Z"),
    );
  });

  it("reads a value without a type element as a string, whitespace and all", () => {
    expect(read("<value>plain text</value>")).toBe("plain text");
    expect(read("<value>  padded  </value>")).toBe("  padded  ");
    expect(read("<value></value>")).toBe("");
    expect(read("<value/>")).toBe("");
    expect(read("<value><string/></value>")).toBe("");
  });

  it("accepts the whitespace and forms real peers send", () => {
    expect(read("<value>\n  <int> 12 </int>\n</value>")).toBe(12);
    expect(read("<value><int>+5</int></value>")).toBe(5);
    expect(read("<value><base64>\naGVs\nbG8=\n</base64></value>")).toEqual(
      new Uint8Array(Buffer.from("hello")),
    );
    expect(
      read("<value><dateTime.iso8601>1998-07-17T14:08:55Z</dateTime.iso8601></value>"),
    ).toEqual(new Date("1998-07-17T14:08:55Z"));
    expect(
      read("<value><dateTime.iso8601>19980717T16:08:55+02:00</dateTime.iso8601></value>"),
    ).toEqual(new Date("1998-07-17T14:08:55Z"));
    const pretty = `<value>
      <struct>
        <member>
          <name>list</name>
          <value><array>
            <data>
              <value><int>1</int></value>
              <value>two</value>
            </data>
          </array></value>
        </member>
      </struct>
    </value>`;
    expect(read(pretty)).toEqual({ list: [1, "two"] });
  });

  it("reads <i8> as a number while a number holds it exactly", () => {
    expect(read("<value><i8>9007199254740991</i8></value>")).toBe(Number.MAX_SAFE_INTEGER);
    expect(read("<value><ex:i8>-3</ex:i8></value>"), "Apache's namespaced form").toBe(-3);
    expect(() => read("<value><i8>9007199254740993</i8></value>")).toThrow(/2\^53/);
  });

  it("refuses an int out of 32-bit range, and malformed scalars", () => {
    rejects(() => read("<value><int>2147483648</int></value>"), "bad_message", /range/);
    rejects(() => read("<value><i4>-2147483649</i4></value>"), "bad_message", /range/);
    rejects(() => read("<value><int>1.5</int></value>"), "bad_message");
    rejects(() => read("<value><boolean>true</boolean></value>"), "bad_message");
    rejects(() => read("<value><double>inf</double></value>"), "bad_message");
    rejects(() => read("<value><double>0x10</double></value>"), "bad_message");
    rejects(() => read("<value><double>1e999</double></value>"), "bad_message");
    rejects(() => read("<value><base64>a$b=</base64></value>"), "bad_message");
    rejects(
      () => read("<value><dateTime.iso8601>19980231T14:08:55</dateTime.iso8601></value>"),
      "bad_message",
    );
  });

  it("reads scalars padded or filled with 300,000 spaces or digits in linear time", () => {
    // A quadratic trim or number pattern would take minutes here, and every other client waits.
    const spaces = " ".repeat(300_000);
    expect(read(`<value><double>${spaces}2.5${spaces}</double></value>`)).toBe(2.5);
    rejects(() => read(`<value><double>1${spaces}2</double></value>`), "bad_message");
    rejects(() => read(`<value><double>${"1".repeat(300_000)}x</double></value>`), "bad_message");
    rejects(() => read(`<value><int>${"1".repeat(300_000)}x</int></value>`), "bad_message");
  });

  it("quotes at most a short piece of a bad value in its error", () => {
    const huge = "9".repeat(200_000) + "x";
    for (const type of ["int", "double", "boolean", "dateTime.iso8601"]) {
      try {
        read(`<value><${type}>${huge}</${type}></value>`);
        expect.unreachable(`<${type}> ${huge.length} characters must be refused`);
      } catch (error) {
        expect((error as RpcError).code, `<${type}> holding 200 kB of junk`).toBe("bad_message");
        const message = (error as Error).message;
        expect(
          message.length,
          `a fault must not echo 200 kB back: ${message.slice(0, 80)}`,
        ).toBeLessThan(200);
      }
    }
  });

  it("refuses unknown types and misshapen containers", () => {
    rejects(() => read("<value><float>1</float></value>"), "bad_message", /float/);
    rejects(() => read("<value><int>1</int><int>2</int></value>"), "bad_message");
    rejects(() => read("<value><array><value/></array></value>"), "bad_message");
    rejects(
      () => read("<value><struct><member><name>a</name></member></struct></value>"),
      "bad_message",
    );
    rejects(() => read("<value><int><b>1</b></int></value>"), "bad_message");
  });

  it("makes a struct member called __proto__ an own property, not a prototype", () => {
    const value = read(
      "<value><struct><member><name>__proto__</name><value><struct>" +
        "<member><name>admin</name><value><boolean>1</boolean></value></member>" +
        "</struct></value></member></struct></value>",
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect((value as { admin?: unknown }).admin, "nothing leaks in through the prototype").toBe(
      undefined,
    );
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });

  // Arbitrary values of every type. Dates carry whole seconds in years 0–9999, and integers
  // in 32-bit range stay ints, so what comes back equals what went in.
  const value: fc.Arbitrary<XmlRpcValue> = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      anyString.filter(isXmlText),
      fc.string(),
      fc
        .date({
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true,
        })
        .map((date) => new Date(Math.floor(date.getTime() / 1000) * 1000)),
      fc.uint8Array({ maxLength: 64 }),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 5 }),
      fc.dictionary(anyString.filter(isXmlText), tie("value"), {
        maxKeys: 5,
      }),
    ),
  })).value;

  it("round-trips arbitrary values of every type (property)", () => {
    fc.assert(
      fc.property(value, (original) => {
        expect(read(encodeValue(original))).toEqual(original);
      }),
      { numRuns: 100 },
    );
  });

  it("round-trips arbitrary doubles bit for bit (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(Object.is(read(encodeValue(n)), n), `${n} must come back exactly`).toBe(true);
      }),
    );
  });
});

/** Strings XML 1.0 can carry: no control characters but tab, LF and CR. */
function isXmlText(text: string): boolean {
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Surrogate}/u.test(text);
}
