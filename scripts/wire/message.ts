/**
 * What every decoder of `npm run wire` returns: one message of its protocol, as it passed.
 * The proxy prints it and, with --summary, draws it in a sequence diagram.
 */
export type Direction = "to-server" | "to-client";

export interface WireMessage {
  /** Bytes of the message on the wire, headers included. */
  size: number;
  /** One line: what the message is ("frame: request 1, call add(1, 2)"). */
  title: string;
  /** Further lines: fields, a pretty-printed body. */
  lines: string[];
  /** The raw bytes to show as hex + text, when the bytes are the lesson's point. */
  raw?: Uint8Array;
  /** A short label for the sequence diagram ("add(1, 2)", "→ 3", "heartbeat"). */
  label: string;
  /** Starts a call: the summary counts bytes per call from here to the next start. */
  startsCall?: boolean;
  /** Ends a call: a reply, a fault, the end of a stream. */
  endsCall?: boolean;
  /** Protocol chatter (heartbeats, handshakes): drawn in the diagram, not counted as a call. */
  chatter?: boolean;
}

/** A decoder reads one direction of one connection, chunk by chunk, cut anywhere. */
export interface StreamDecoder {
  push(chunk: Uint8Array): WireMessage[];
  /** What is left when the connection ends: an incomplete message, shown as hex. */
  end(): WireMessage[];
}

/**
 * `connection` is one object per proxied connection, the same for both directions: a decoder
 * may keep there what the other direction needs (HTTP/2: which method each stream calls).
 */
export type DecoderFactory = (direction: Direction, connection?: object) => StreamDecoder;

/** A value as one short line of JSON-like text (bytes as hex, long text cut). */
export function brief(value: unknown, max = 120): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v: unknown) =>
        v instanceof Uint8Array
          ? `<${v.length} bytes ${Buffer.from(v.subarray(0, 16)).toString("hex")}${v.length > 16 ? "…" : ""}>`
          : typeof v === "bigint"
            ? `${v}n`
            : v === undefined
              ? "undefined"
              : v instanceof Map
                ? Object.fromEntries([...v].map(([k, item]) => [`${mapKey(k)} =>`, item]))
                : v,
      ) ?? "undefined";
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} chars cut)` : text;
}

/** A Map's key as code would write it: "a" quoted, 1 and 2n bare. */
function mapKey(key: unknown): string {
  if (typeof key === "string") return JSON.stringify(key);
  return typeof key === "bigint" ? `${key}n` : String(key);
}

/** The arguments of a call as they would be written in code: "1, 2". */
export function argList(args: unknown): string {
  if (!Array.isArray(args)) return brief(args);
  return args.map((a) => brief(a, 60)).join(", ");
}
