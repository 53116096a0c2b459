import type { Transport } from "../lib/transport.js";
import type { DecoderFactory } from "./message.js";
import { startProxy, type Passed } from "./proxy.js";

/**
 * For the end-to-end tests: one call with `npm run call`'s transport through a proxy in front
 * of `upstream`; returns the reply and every message that passed, once the caller has closed.
 */
export async function callThrough(
  transport: Transport,
  decoder: DecoderFactory,
  upstream: URL,
  method: string,
  args: unknown[],
  flags: Record<string, string | true> = {},
): Promise<{ reply: unknown; passed: Passed[] }> {
  const passed: Passed[] = [];
  const proxy = await startProxy({
    upstream: { host: upstream.hostname, port: Number(upstream.port) },
    decoder,
    onMessage: (m) => passed.push(m),
  });
  try {
    const url = new URL(upstream.href);
    url.port = String(proxy.port);
    const reply = await transport.call(url, method, args, { flags, timeoutMs: 10_000 });
    return { reply, passed };
  } finally {
    await proxy.drain();
  }
}
