import { afterEach, beforeEach } from "vitest";
import { TODO_REACHED, type NotImplementedError } from "../../shared/todo.js";
import { ROOT } from "./paths.js";
import { todoPlace, type ReachedTodo } from "./results.js";

/**
 * A vitest setup file: notes every todo() a test reaches while it runs, and hands the list to
 * the task reporter in the test's meta. A server that catches the todo's error and answers
 * "500 Internal error" (or resets the stream) hides it from the test; this list does not.
 * Todos reached after the test body (in cleanup, e.g. a server.stop() that is still a todo)
 * are left out: they did not make the test fail.
 */
const MAX_REACHED = 5;

const hook = globalThis as { [TODO_REACHED]?: (error: NotImplementedError) => void };

beforeEach((context) => {
  const reached: ReachedTodo[] = [];
  context.task.meta.todos = reached;
  hook[TODO_REACHED] = (error) => {
    if (context.task.result?.state !== "run" || reached.length >= MAX_REACHED) return;
    // One place per task is enough, and reading a stack costs: a test that reaches the same
    // todo a thousand times pays for it once.
    if (reached.some((r) => r.task === error.task)) return;
    const at = todoPlace(error.stack, ROOT);
    reached.push({ task: error.task, ...(at ? { at } : {}) });
  };
});

afterEach(() => {
  delete hook[TODO_REACHED];
});
