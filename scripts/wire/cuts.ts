import type { DecoderFactory, Direction, WireMessage } from "./message.js";

/** Feeds `bytes` to a fresh decoder in two chunks cut at `at`, then ends it. */
export function decodeCut(
  factory: DecoderFactory,
  direction: Direction,
  bytes: Uint8Array,
  at: number,
): WireMessage[] {
  const decoder = factory(direction);
  return [
    ...decoder.push(bytes.subarray(0, at)),
    ...decoder.push(bytes.subarray(at)),
    ...decoder.end(),
  ];
}

/** Every cut of `bytes`, as the titles each produced: all must equal the uncut run's. */
export function titlesAtEveryCut(
  factory: DecoderFactory,
  direction: Direction,
  bytes: Uint8Array,
): string[][] {
  const runs: string[][] = [];
  for (let at = 0; at <= bytes.length; at++) {
    runs.push(decodeCut(factory, direction, bytes, at).map((m) => `${m.size} ${m.title}`));
  }
  return runs;
}
