/**
 * Marks the place where a task's code goes. The starters call it, the course CLI recognises
 * the error it throws and turns it into "next: task N — see README.md#task-n".
 */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";

  constructor(task: string) {
    super(`not implemented yet — ${task}`);
  }

  /** "task 3: readValue". A getter, not a field: a test printing the error shows its message. */
  get task(): string {
    return this.message.replace(/^not implemented yet — /, "");
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
