/**
 * HPACK's Huffman code (RFC 7541, Appendix B), for reading header strings sent compressed.
 * The code is canonical: within one length, codes count up in symbol order, and each length
 * starts where the shorter ones left off, shifted left. So the lengths alone define it; the
 * codes are rebuilt from them below. Symbol 256 is EOS, which never appears in a string.
 */
const LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30, // EOS
]; // prettier-ignore

const EOS = 256;
const MAX_LENGTH = 30;

/** Symbols sorted by (length, symbol); for each length, its first code and where its symbols start. */
const sorted = LENGTHS.map((_, symbol) => symbol).sort(
  (a, b) => LENGTHS[a]! - LENGTHS[b]! || a - b,
);
const firstCode = new Array<number>(MAX_LENGTH + 2).fill(0);
const count = new Array<number>(MAX_LENGTH + 2).fill(0);
const startIndex = new Array<number>(MAX_LENGTH + 2).fill(0);
for (const length of LENGTHS) count[length]! += 1;
for (let length = 1, code = 0, index = 0; length <= MAX_LENGTH; length++) {
  firstCode[length] = code;
  startIndex[length] = index;
  code = (code + count[length]!) * 2;
  index += count[length]!;
}

/** The code of one symbol, rebuilt from the lengths (for tests: 0 → 0x1ff8). */
export function huffmanCode(symbol: number): { code: number; length: number } {
  const length = LENGTHS[symbol]!;
  const rank = sorted.indexOf(symbol) - startIndex[length]!;
  return { code: firstCode[length]! + rank, length };
}

/**
 * Decodes bit by bit: at most 30 steps a symbol, so linear in the input. The last byte is
 * padded with the high bits of EOS (all ones), fewer than 8 of them; anything else is an error.
 */
export function huffmanDecode(bytes: Uint8Array): string {
  const out: number[] = [];
  let code = 0;
  let length = 0;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      length += 1;
      const rank = code - firstCode[length]!;
      if (rank >= 0 && rank < count[length]!) {
        const symbol = sorted[startIndex[length]! + rank]!;
        if (symbol === EOS) throw new Error("Huffman: EOS inside a string");
        out.push(symbol);
        code = 0;
        length = 0;
      } else if (length >= MAX_LENGTH) {
        throw new Error("Huffman: not a code");
      }
    }
  }
  if (length > 7 || code !== 2 ** length - 1) throw new Error("Huffman: bad padding");
  return Buffer.from(out).toString("latin1");
}
