import fc from "fast-check";

/** Every kind of value the serializer carries, nested a few levels deep. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(undefined, null, true, false, -0, 0, NaN, Infinity, -Infinity),
    fc.double(),
    fc.integer(),
    fc.string({ unit: "binary" }),
    fc.uint8Array({ maxLength: 40 }),
    fc.date({ noInvalidDate: true }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: "binary" }), tie("value"), {
      maxKeys: 5,
      noNullPrototype: true,
    }),
  ),
})).value;
