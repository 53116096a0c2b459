import { calculatorClient } from "../../../solutions/11-grpc/calculator-client.js";
import { GrpcClient } from "../../../solutions/11-grpc/client.js";

/** Lesson 11's client, as `npm run tester 11 -- --client` expects one to behave. */
try {
  const client = await GrpcClient.connect(process.env.SERVER_URL!);
  const calc = calculatorClient(client);
  try {
    console.log(await calc.add(1, 2, { timeoutMs: 5000 }));
    console.log(
      await calc.divide(1, 0, { timeoutMs: 5000 }).catch((e: Error) => `error: ${e.message}`),
    );
  } finally {
    await client.close();
  }
} catch (error) {
  console.error(`client: ${(error as Error).message}`);
  process.exitCode = 1;
}
