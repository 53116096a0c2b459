import { UsageError } from "../lib/lessons.js";

/** npm run serve -- <url> [module]: placeholder until the transports can serve. */
export async function serve(_args: string[]): Promise<number> {
  throw new UsageError("npm run serve: not available yet");
}
