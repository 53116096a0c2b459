/**
 * Marks the place where a task's code goes. The starters call it, the course CLI recognises
 * the error it throws and turns it into "next: task N — see README.md#task-n".
 */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";

  constructor(readonly task: string) {
    super(`not implemented yet — ${task}`);
  }
}

export function todo(task: string): never {
  throw new NotImplementedError(task);
}
