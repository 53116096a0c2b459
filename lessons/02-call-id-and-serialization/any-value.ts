import fc from "fast-check";
import { anyString } from "../../shared/testing/arbitraries.js";

/** Strings of any code points (ASCII most often, then the rest of the BMP and emoji). */
export { anyString };

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
