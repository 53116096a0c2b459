import { JsonRpcClient } from "../../../solutions/05-json-rpc/client.js";

/** Lesson 5's client, as `npm run tester 5 -- --client` expects one to behave. */
const client = new JsonRpcClient(process.env.SERVER_URL!);
try {
  console.log(await client.call("add", [1, 2], { timeoutMs: 5000 }));
  console.log(
    await client
      .call("divide", [1, 0], { timeoutMs: 5000 })
      .catch((e: Error) => `error: ${e.message}`),
  );
} catch (error) {
  console.error(`client: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  client.close();
}
