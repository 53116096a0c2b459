import { UsageError } from "../lib/lessons.js";
import type { LessonStages } from "./stage.js";
import type { TesterOptions } from "./tester.js";

export async function runClientStages(
  lesson: LessonStages,
  options: TesterOptions,
  print: (line: string) => void,
): Promise<number> {
  if (!lesson.client) throw new UsageError(`lesson ${options.lesson} has no --client stages`);
  void print;
  return 1;
}
