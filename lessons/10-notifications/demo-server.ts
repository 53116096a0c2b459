import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { NotificationFilter } from "./filter.js";
import { NotificationListener, type Handler } from "./listener.js";

// A notification listener on the "notifications" topic: prints everything at info, error and
// sample, and has a second endpoint that only wants instance events.
// npm run broker, then: npm run demo 10 server -- --url <that URL>

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const url = flag("url") ?? process.env.AMQP_URL;
if (!url) {
  console.error("no broker: run `npm run broker` and pass its URL with --url (or set AMQP_URL)");
  process.exit(1);
}

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
