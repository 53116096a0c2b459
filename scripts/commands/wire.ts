import { UsageError } from "../lib/lessons.js";
import { splitFlags } from "./call.js";
import { hexDump } from "../wire/hex.js";
import { PROTOCOLS } from "../wire/protocols.js";
import { startProxy, type Passed } from "../wire/proxy.js";
import { summaryText } from "../wire/summary.js";

const USAGE = `usage: npm run wire -- <url> [--summary] [--count N] [--port P] [--quiet]
  a proxy in front of the server at <url> that prints every message each way, decoded:
  ${Object.entries(PROTOCOLS)
    .map(([scheme, p]) => `${scheme}//  ${p.name}`)
    .join("\n  ")}
  --summary   at the end (Ctrl-C, or after --count N calls): a Mermaid sequence diagram and
              the bytes of each call, each way
  --port P    listen on port P (default: a free one)
  --quiet     only the one-line title of each message`;

/** npm run wire -- <url> [--summary] [--count N] [--port P] */
export async function wire(args: string[]): Promise<number> {
  const { positionals, flags } = splitFlags(args);
  const [address] = positionals;
  if (!address) throw new UsageError(USAGE);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`"${address}" is not a URL; try tcp://127.0.0.1:4242\n${USAGE}`);
  }
  const protocol = Object.hasOwn(PROTOCOLS, url.protocol) ? PROTOCOLS[url.protocol] : undefined;
  if (!protocol) throw new UsageError(`no decoder for "${url.protocol}//"\n${USAGE}`);
  const count = typeof flags.count === "string" ? Number(flags.count) : Infinity;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const upstream = { host, port: url.port ? Number(url.port) : protocol.port };
  const passed: Passed[] = [];
  let replies = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const proxy = await startProxy({
    upstream,
    decoder: protocol.decoder,
    port: typeof flags.port === "string" ? Number(flags.port) : 0,
    onConnection: (id, event, detail) =>
      console.log(
        `${time(new Date())} [${id}] connection ${event === "open" ? "opened" : "closed"}${detail ? ` (${detail})` : ""}`,
      ),
    onMessage: (message) => {
      if (flags.summary) passed.push({ ...message, raw: undefined }); // the diagram needs no bytes
      print(message, flags.quiet === true);
      // The reply of the last call counted ends the run.
      if (message.endsCall && ++replies >= count) finish();
    },
  });
  const proxied = new URL(url.href);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  console.log(`wire: ${protocol.name} between you and ${upstream.host}:${upstream.port}`);
  console.log(`use this URL instead:  ${proxied.href}`);
  console.log(
    url.protocol === "amqp:"
      ? `  e.g. AMQP_URL=${proxied.href} npm run demo 8 client`
      : `  e.g. npm run call -- ${proxied.href} add 1 2`,
  );
  console.log("Ctrl-C stops it.");

  // Ctrl-C cuts the connections; --count lets the callers finish and close their own.
  let cut = false;
  const stop = () => {
    cut = true;
    finish();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await finished;
  if (flags.summary) console.log(`\n${summaryText(passed)}`);
  if (cut) await proxy.close();
  else {
    const drained = proxy.drain();
    const force = () => void proxy.close();
    process.once("SIGINT", force);
    process.once("SIGTERM", force);
    await drained;
    process.off("SIGINT", force);
    process.off("SIGTERM", force);
  }
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  return 0;
}

function time(at: Date): string {
  return at.toISOString().slice(11, 23);
}

function print(m: Passed, quiet: boolean): void {
  const arrow = m.direction === "to-server" ? "client → server" : "server → client";
  console.log(`${time(m.at)} [${m.connection}] ${arrow} ${m.size} B  ${m.title}`);
  if (quiet) return;
  for (const line of m.lines) console.log(`    ${line}`);
  if (m.raw) for (const line of hexDump(m.raw)) console.log(`    ${line}`);
}
