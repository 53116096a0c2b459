import { huffmanDecode } from "./huffman.js";

/**
 * HPACK (RFC 7541): how HTTP/2 compresses a header block. Each side keeps a dynamic table of
 * recent headers; a header is sent as an index into the static table (below) or the dynamic
 * one, or as a literal, which may be added to the dynamic table. Strings may be Huffman
 * coded. One decoder per direction of a connection, fed every header block in order.
 *
 *   1xxxxxxx                 indexed header field (7-bit index)
 *   01xxxxxx name? value     literal, added to the dynamic table (6-bit name index, 0 = literal name)
 *   001xxxxx                 dynamic table size update (5-bit size)
 *   0000xxxx name? value     literal, not added (4-bit name index)
 *   0001xxxx name? value     literal, never to be added by any proxy (4-bit name index)
 *   string: H (1 bit, Huffman) + length (7-bit prefix), then the bytes
 */
export type Header = [name: string, value: string];

// prettier-ignore
const STATIC: Header[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"],
  [":path", "/index.html"], [":scheme", "http"], [":scheme", "https"], [":status", "200"],
  [":status", "204"], [":status", "206"], [":status", "304"], [":status", "400"],
  [":status", "404"], [":status", "500"], ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"], ["accept-language", ""], ["accept-ranges", ""],
  ["accept", ""], ["access-control-allow-origin", ""], ["age", ""], ["allow", ""],
  ["authorization", ""], ["cache-control", ""], ["content-disposition", ""],
  ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""],
  ["date", ""], ["etag", ""], ["expect", ""], ["expires", ""], ["from", ""], ["host", ""],
  ["if-match", ""], ["if-modified-since", ""], ["if-none-match", ""], ["if-range", ""],
  ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""], ["location", ""],
  ["max-forwards", ""], ["proxy-authenticate", ""], ["proxy-authorization", ""], ["range", ""],
  ["referer", ""], ["refresh", ""], ["retry-after", ""], ["server", ""], ["set-cookie", ""],
  ["strict-transport-security", ""], ["transfer-encoding", ""], ["user-agent", ""],
  ["vary", ""], ["via", ""], ["www-authenticate", ""],
];

/** HTTP/2's default SETTINGS_HEADER_TABLE_SIZE. */
export const DEFAULT_TABLE_BYTES = 4096;
/** A size update may not grow the table past this here: memory stays bounded. */
const MAX_TABLE_BYTES = 64 * 1024;
/** An integer past this is not a length or an index any header block needs. */
const MAX_INTEGER = 2 ** 24;

export class HpackDecoder {
  /** Newest first, as HPACK numbers it: index 62 is the newest entry. */
  readonly #table: Header[] = [];
  #size = 0;
  #maxSize = DEFAULT_TABLE_BYTES;

  /** Entries in the dynamic table and their size in HPACK's count (name + value + 32 each). */
  get dynamicTable(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.#table.length, bytes: this.#size, maxBytes: this.#maxSize };
  }

  /** Decodes one whole header block (a HEADERS frame and its CONTINUATIONs, joined). */
  decode(block: Uint8Array): Header[] {
    const headers: Header[] = [];
    const reader = { bytes: block, at: 0 };
    while (reader.at < block.length) {
      const first = block[reader.at]!;
      if (first & 0x80) {
        headers.push(this.#entry(readInteger(reader, 7)));
      } else if (first & 0x40) {
        const header = this.#literal(reader, 6);
        this.#add(header);
        headers.push(header);
      } else if (first & 0x20) {
        const size = readInteger(reader, 5);
        if (size > MAX_TABLE_BYTES) throw new Error(`a table size of ${size} bytes`);
        this.#maxSize = size;
        this.#evict(0);
      } else {
        headers.push(this.#literal(reader, 4)); // without indexing, or never indexed
      }
    }
    return headers;
  }

  #entry(index: number): Header {
    if (index === 0) throw new Error("index 0");
    if (index <= STATIC.length) return STATIC[index - 1]!;
    const entry = this.#table[index - STATIC.length - 1];
    if (!entry) throw new Error(`index ${index} is past the dynamic table`);
    return entry;
  }

  #literal(reader: Reader, prefix: number): Header {
    const index = readInteger(reader, prefix);
    const name = index === 0 ? readString(reader) : this.#entry(index)[0];
    return [name, readString(reader)];
  }

  #add(header: Header): void {
    const size = header[0].length + header[1].length + 32;
    this.#evict(size);
    // An entry larger than the whole table empties it and is not added (RFC 7541, 4.4).
    if (size > this.#maxSize) return;
    this.#table.unshift(header);
    this.#size += size;
  }

  /** Drops the oldest entries until `room` more bytes fit. */
  #evict(room: number): void {
    while (this.#table.length > 0 && this.#size + room > this.#maxSize) {
      const [name, value] = this.#table.pop()!;
      this.#size -= name.length + value.length + 32;
    }
  }
}

interface Reader {
  bytes: Uint8Array;
  at: number;
}

/** An integer with an N-bit prefix: the prefix, and if it is all ones, 7 bits a byte after. */
function readInteger(reader: Reader, prefix: number): number {
  const mask = (1 << prefix) - 1;
  let value = reader.bytes[reader.at++]! & mask;
  if (value < mask) return value;
  for (let shift = 0; ; shift += 7) {
    if (reader.at >= reader.bytes.length) throw new Error("the block ends inside an integer");
    const byte = reader.bytes[reader.at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (value > MAX_INTEGER) throw new Error("an integer too large");
    if (!(byte & 0x80)) return value;
  }
}

function readString(reader: Reader): string {
  if (reader.at >= reader.bytes.length) throw new Error("the block ends before a string");
  const huffman = (reader.bytes[reader.at]! & 0x80) !== 0;
  const length = readInteger(reader, 7);
  if (reader.at + length > reader.bytes.length) throw new Error("a string past the block");
  const raw = reader.bytes.subarray(reader.at, reader.at + length);
  reader.at += length;
  return huffman ? huffmanDecode(raw) : Buffer.from(raw).toString("latin1");
}
