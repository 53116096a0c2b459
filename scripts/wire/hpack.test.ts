import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack.js";
import { huffmanCode, huffmanDecode } from "./huffman.js";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

describe("HPACK, as RFC 7541's examples have it", () => {
  it("rebuilds the canonical Huffman codes from their lengths", () => {
    expect(huffmanCode(0)).toEqual({ code: 0x1ff8, length: 13 });
    expect(huffmanCode(1)).toEqual({ code: 0x7fffd8, length: 23 });
    expect(huffmanCode(" ".charCodeAt(0))).toEqual({ code: 0x14, length: 6 });
    expect(huffmanCode(255)).toEqual({ code: 0x3ffffee, length: 26 });
    expect(huffmanCode(256), "EOS").toEqual({ code: 0x3fffffff, length: 30 });
  });

  it("decodes Huffman strings (C.4.1, C.6.1)", () => {
    expect(huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff"))).toBe("www.example.com");
    expect(huffmanDecode(hex("6402"))).toBe("302");
    expect(huffmanDecode(hex("aec3 771a 4b"))).toBe("private");
  });

  it("refuses bad padding and EOS", () => {
    expect(() => huffmanDecode(hex("00")), "padding must be ones").toThrow(/padding/);
    expect(() => huffmanDecode(hex("ffff ffff")), "EOS").toThrow(/EOS/);
  });

  it("decodes three requests sharing a dynamic table (C.4)", () => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ]);
    expect(decoder.dynamicTable).toEqual({ entries: 1, bytes: 57, maxBytes: 4096 });
    expect(decoder.decode(hex("8286 84be 5886 a8eb 1064 9cbf"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ]);
    expect(
      decoder.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")),
    ).toEqual([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ]);
    expect(decoder.dynamicTable.bytes).toBe(164);
  });

  it("evicts the oldest entries when a size update shrinks the table", () => {
    const decoder = new HpackDecoder();
    decoder.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"));
    decoder.decode(hex("20")); // size update to 0
    expect(decoder.dynamicTable.entries).toBe(0);
    expect(() => decoder.decode(hex("be")), "index 62 is gone").toThrow(/past the dynamic table/);
  });

  it("refuses blocks cut short and integers too large, in time linear in the input", () => {
    const decoder = new HpackDecoder();
    expect(() => decoder.decode(hex("41 8c f1e3"))).toThrow(/past the block/);
    expect(() => decoder.decode(hex("7f ff ff ff ff ff ff"))).toThrow(/too large|ends inside/);
    const many = Buffer.alloc(200_000, 0x82); // :method GET, 200 000 times
    expect(new HpackDecoder().decode(many)).toHaveLength(200_000);
  });
});
