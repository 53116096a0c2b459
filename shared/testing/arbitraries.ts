import fc from "fast-check";

/**
 * Strings of any Unicode code points, never a lone surrogate, and cheap to set up: fast-check's
 * `fc.string({ unit: "binary" })` builds a table of every code point first, which costs a
 * second or more each time a test file loads.
 */
export const anyString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { arbitrary: fc.integer({ min: 0x00, max: 0x7f }), weight: 4 },
      { arbitrary: fc.integer({ min: 0x80, max: 0xd7ff }), weight: 2 },
      { arbitrary: fc.integer({ min: 0xe000, max: 0x10_ffff }), weight: 2 },
    ),
    { maxLength: 12 },
  )
  .map((codePoints) => String.fromCodePoint(...codePoints));
