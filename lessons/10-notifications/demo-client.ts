import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { Notifier } from "./notifier.js";

// A notifier, as nova-compute would use one. Start the listener first (npm run demo 10 server).
// npm run demo 10 client -- --url <the URL npm run broker printed>

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const url = flag("url") ?? process.env.AMQP_URL;
if (!url) {
  console.error("no broker: run `npm run broker` and pass its URL with --url (or set AMQP_URL)");
  process.exit(1);
}

async function main() {
  const transport = await Transport.connect(url!.replace(/^amqp:/, "rabbit:"));
  try {
    const notifier = new Notifier(transport, { publisherId: "compute.host1" });
    const context = { user: "ada", request_id: "req-demo" };
    await notifier.info(context, "compute.instance.create.end", {
      instance_id: "vm-1",
      state: "active",
    });
    await notifier.error(context, "compute.instance.create.error", {
      instance_id: "vm-2",
      reason: "no valid host",
    });
    await notifier.debug(context, "compute.scheduler.tick", { note: "nobody listens to debug" });
    await notifier
      .prepare({ publisherId: "compute.host2" })
      .sample({}, "cpu.load", { percent: 70 });
    console.log("sent: info, error, debug (no listener wants it: it waits in its queue), sample");
  } finally {
    await transport.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
