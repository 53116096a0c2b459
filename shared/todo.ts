/**
 * Marks the place where a task's code goes. The starters call it, the course CLI recognises
 * the error it throws and turns it into "next: task N — see README.md#task-n".
 */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
  declare readonly task: string;

  constructor(task: string) {
    super(`not implemented yet — ${task}`);
    // Not enumerable: a test that prints the error shows its message, not `{ task: '…' }`.
    Object.defineProperty(this, "task", { value: task });
  }
}

/**
 * Called with every todo reached, when the course's tests run (scripts/lib/todo-setup.ts):
 * the screen can then name the todo even when a server caught its error and the test only saw
 * "500 Internal error", a reset stream or an empty list.
 */
export const TODO_REACHED = Symbol.for("course.todoReached");

export function todo(task: string): never {
  const error = new NotImplementedError(task);
  (globalThis as { [TODO_REACHED]?: (error: NotImplementedError) => void })[TODO_REACHED]?.(error);
  throw error;
}
