import { calculatorService, serve } from "../../../solutions/11-grpc/server.js";
import { NumberMessage, Pair } from "../../../solutions/11-grpc/messages.js";

/**
 * Lesson 11's reference server on $PORT; MUTANT=divide-ok makes Divide answer a division by
 * zero with status OK and Infinity, the fault of a server that forgets to report an error.
 */
const service =
  process.env.MUTANT === "divide-ok"
    ? {
        ...calculatorService,
        "/calc.Calculator/Divide": {
          kind: "unary" as const,
          request: Pair,
          response: NumberMessage,
          handle: ({ a, b }: { a: number; b: number }) => ({ value: a / b }),
        },
      }
    : calculatorService;

await serve(service, { port: Number(process.env.PORT), host: "127.0.0.1" });
