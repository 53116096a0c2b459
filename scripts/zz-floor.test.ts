import { it, expect } from "vitest";
it("one", () => expect(1).toBe(1));
