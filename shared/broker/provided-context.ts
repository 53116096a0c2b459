/**
 * What the broker global setup hands every test file through vitest's provide/inject. Its own
 * file, so that a lesson's tests type-check without pulling in the setup itself.
 */
declare module "vitest" {
  interface ProvidedContext {
    /** The broker every test file of lessons 8–10 talks to; see shared/broker/testing.ts. */
    amqpUrl: string;
    /** Why there is no broker (amqpUrl is then ""): one line that says what to install. */
    amqpProblem: string;
  }
}

export {};
