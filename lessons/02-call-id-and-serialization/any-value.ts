import fc from "fast-check";

/**
 * Strings of any code points: ASCII most often, then the rest of the Basic Multilingual Plane
 * and the astral planes (emoji: a surrogate pair in UTF-16, 4 bytes in UTF-8). Built from code
 * points, never lone surrogates, and cheap to set up (fast-check's `unit: "binary"` builds a
 * table of every code point first, which takes seconds).
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

/** Every kind of value the serializer carries, nested a few levels deep. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(undefined, null, true, false, -0, 0, NaN, Infinity, -Infinity),
    fc.double(),
    fc.integer(),
    anyString,
    fc.uint8Array({ maxLength: 40 }),
    fc.date({ noInvalidDate: true }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(anyString, tie("value"), { maxKeys: 5, noNullPrototype: true }),
  ),
})).value;
