import { demoBrokerUrl } from "../../shared/broker/demo-url.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { NotificationFilter } from "./filter.js";
import { NotificationListener, type Handler } from "./listener.js";

// A notification listener on the "notifications" topic: prints everything at info, error and
// sample, and has a second endpoint that only wants instance events.
// npm run broker, then: npm run demo 10 server

const url = demoBrokerUrl();

function printer(priority: string): Handler {
  return (_context, publisherId, eventType, payload) =>
    console.log(
      `[${priority.toUpperCase()}] ${publisherId} ${eventType} ${JSON.stringify(payload)}`,
    );
}

async function main() {
  const transport = await Transport.connect(url!.replace(/^amqp:/, "rabbit:"));
  const listener = new NotificationListener(
    transport,
    [{ topic: "notifications" }],
    [
      { info: printer("info"), error: printer("error"), sample: printer("sample") },
      {
        filterRule: new NotificationFilter({ eventType: "compute\\.instance\\." }),
        info: (_c, _p, eventType) => console.log(`  instance events only: ${eventType}`),
        error: (_c, _p, eventType) => console.log(`  instance events only: ${eventType}`),
      },
    ],
  );
  await listener.start();
  console.log('listening on "notifications.info", ".error" and ".sample"; Ctrl-C stops');
  process.once("SIGINT", async () => {
    await listener.stop();
    await listener.wait();
    await transport.close();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
