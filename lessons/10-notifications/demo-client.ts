import { demoBrokerUrl } from "../../shared/broker/demo-url.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { Notifier } from "./notifier.js";

// A notifier, as nova-compute would use one. Start the listener first (npm run demo 10 server).
// npm run demo 10 client   (after `npm run broker` in another terminal)

const url = demoBrokerUrl();

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
