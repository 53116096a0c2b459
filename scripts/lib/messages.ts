/**
 * Everything the course CLI says to a learner, in English and in Chinese.
 * The language follows LANG / LC_ALL / LC_MESSAGES (zh_CN.UTF-8 → Chinese); COURSE_LANG=en|zh
 * overrides it.
 */
export type Language = "en" | "zh";

export function language(env: NodeJS.ProcessEnv = process.env): Language {
  const wanted = env.COURSE_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return wanted.toLowerCase().startsWith("zh") ? "zh" : "en";
}

const baseName = (file: string) => file.split(/[\\/]/).pop()!;

const en = {
  whichLesson: (range: string) =>
    `which lesson? Give its number, e.g. "npm run lesson 1" (lessons: ${range}).`,
  noSuchLesson: (arg: string, range: string) =>
    `there is no lesson "${arg}" — lessons are ${range}; "npm run progress" lists them.`,
  noLessonsYet: "none yet",
  summaryTitle: (lesson: string, solution: boolean) =>
    `Lesson ${lesson} — ${solution ? "the reference solution" : "your files"}`,
  cannotLoad: (file: string, message: string) => `could not load ${file}: ${message}`,
  files: (files: string[]) => `${files.length} test files (${files.map(baseName).join(", ")})`,
  compileErrors: (count: number) =>
    `  ✗ your files do not compile (${count} error${count === 1 ? "" : "s"}); fix these first:`,
  moreErrors: (count: number) => `… and ${count} more (npx tsc --noEmit lists them all)`,
  taskLabel: (task: number, title: string) => `task ${task}: ${title}`,
  notRun: "not run",
  partialRun: (n: number) =>
    `only part of the lesson ran; for all of its tasks: npm run lesson ${n}`,
  testAt: (location: string) => `  test:    ${location}`,
  fixCompileFirst: "next: fix the errors above; the tests cannot load until they are gone",
  stuckTest: (seconds: number, test: string) =>
    test
      ? `did not return within ${seconds} s (an endless loop?), so the test was stopped`
      : `the test file did not finish loading within ${seconds} s (an endless loop at load time or in a beforeAll?), so it was stopped`,
  notRunAfterStuck: "did not run: an earlier test of its file never returned",
  slowLeftOut: (count: number, n: number) =>
    `${count} slow check${count === 1 ? "" : "s"} left out of this run: npm run lesson ${n} -- --full`,
  timedOut: (seconds: number) =>
    `did not return within ${seconds} s: a promise that never settles? (something awaited that never happens)`,
  changed: (file: string) => `changed: ${file}`,
  notImplemented: (task: string) => `not implemented yet — ${task}`,
  watching: "watching your files; Ctrl-C stops.",
  flagFromNpm: (flag: string, command: string) =>
    `(npm kept --${flag} for itself; it is honoured all the same. Next time: ${command})`,
  allPass: (count: number) => `all ${count} tasks pass.`,
  compare: (n: number) => `  compare with the reference: npm run diff ${n}`,
  goOn: (n: number) => `  then go on:                 npm run lesson ${n}`,
  lastLesson: "  that was the last lesson of the course: well done.",
  next: (task: number, link: string) => `next: task ${task} — see ${link}`,
  failing: (test: string, message: string) => `  failing: "${test}": ${message}`,
  where: (location: string) => `  where:   ${location}`,
  needs: (other: number, task: number, link: string) =>
    `  needs:   task ${other} as well: this test of task ${task} reaches its todo (${link})`,
  stuck: (n: number) => `  stuck?   npm run hint ${n}`,
  hintHeader: (task: number, title: string, link: string) => `task ${task}: ${title} — ${link}`,
  hintFailing: (test: string, message: string) => `failing: "${test}": ${message}`,
  hintNone: "\nthis task has no hints; the README section above walks through it.",
  hint: (n: number, of: number, title: string) => `hint ${n} of ${of}: ${title}`,
  hintAgain: (n: number) => `(run "npm run hint ${n}" again for the next one)`,
  hintLast: (n: number) => `(that was the last hint; "npm run diff ${n}" shows the solution)`,
  hintAllPass: (lesson: string, n: number) =>
    `every task of lesson ${lesson} passes — no hint needed. Compare: npm run diff ${n}`,
  doesNotLoad: (lesson: string, message: string) => `lesson ${lesson} does not load: ${message}`,
  progressChecking: (count: number) =>
    `checking ${count} lessons against your files in lessons/ ...\n`,
  stateDone: "done",
  stateInProgress: "in progress",
  stateNotStarted: "not started",
  stateBroken: (message: string) => `does not load: ${message}`,
  tasks: (done: number, total: number) => `${done}/${total} tasks`,
  resetNoSnapshot: (lesson: string) =>
    `lesson ${lesson} has no shipped starter in scripts/starters.json.gz; is the course complete?`,
  resetDone: (lesson: string, count: number) =>
    `lesson ${lesson}: starter restored (${count} files).`,
  backupAt: (dir: string) => `your previous files are in ${dir}`,
  solveDone: (lesson: string, count: number) =>
    `lesson ${lesson}: solution copied in (${count} files).`,
  solveBackup: (dir: string, n: number) =>
    `your previous files are in ${dir}; "npm run reset ${n}" brings the starter back.`,
  diffNoTask: (lesson: string, task: number) =>
    `lesson ${lesson} has no file with a todo for task ${task}; see its README for the task numbers.`,
  diffSame: (lesson: string) => `lesson ${lesson}: your files match the solution.`,
  diffDiffer: (lesson: string, count: number) =>
    `lesson ${lesson}: ${count} file(s) differ from the solution (− yours, + solution).`,
  demoParts: (lesson: string, commands: string) =>
    `lesson ${lesson}'s demo has parts: ${commands} (in two terminals).`,
  demoNone: (lesson: string, role: string) =>
    `lesson ${lesson} has no demo${role ? ` "${role}"` : ""}.`,
  unknownCommand: (name: string) => `unknown command "${name}"`,
};

type Messages = typeof en;

const zh: Messages = {
  whichLesson: (range) => `要做哪一课？请给出课号，例如 "npm run lesson 1"（现有课程：${range}）。`,
  noSuchLesson: (arg, range) =>
    `没有第 "${arg}" 课——现有课程为 ${range}；"npm run progress" 会列出全部课程。`,
  noLessonsYet: "暂无",
  summaryTitle: (lesson, solution) => `第 ${lesson} 课 —— ${solution ? "参考答案" : "你的代码"}`,
  cannotLoad: (file, message) => `无法加载 ${file}：${message}`,
  files: (files) => `${files.length} 个测试文件（${files.map(baseName).join("、")}）`,
  compileErrors: (count) => `  ✗ 你的代码无法编译（${count} 个错误），请先修正：`,
  moreErrors: (count) => `……还有 ${count} 个（npx tsc --noEmit 会全部列出）`,
  taskLabel: (task, title) => `任务 ${task}：${title}`,
  notRun: "未运行",
  partialRun: (n) => `只运行了本课的一部分；要运行全部任务：npm run lesson ${n}`,
  testAt: (location) => `  测试：  ${location}`,
  fixCompileFirst: "下一步：先修正上面的错误；修正之前测试无法加载",
  stuckTest: (seconds, test) =>
    test
      ? `${seconds} 秒内没有返回（死循环？），测试已被停止`
      : `测试文件 ${seconds} 秒内没有加载完（加载时或 beforeAll 中的死循环？），已被停止`,
  notRunAfterStuck: "未运行：同一文件中前面的一个测试没有返回",
  slowLeftOut: (count, n) => `本次省略了 ${count} 个较慢的检查：npm run lesson ${n} -- --full`,
  timedOut: (seconds) =>
    `${seconds} 秒内没有返回：是不是有一个永远不会完成的 promise？（等待了一件永远不会发生的事）`,
  changed: (file) => `已修改：${file}`,
  notImplemented: (task) => `尚未实现 —— ${task}`,
  watching: "正在监视你的文件；按 Ctrl-C 停止。",
  flagFromNpm: (flag, command) =>
    `（npm 把 --${flag} 当成了自己的参数，已转交；下次请用：${command}）`,
  allPass: (count) => `全部 ${count} 个任务都已通过。`,
  compare: (n) => `  与参考答案对比：npm run diff ${n}`,
  goOn: (n) => `  继续下一课：    npm run lesson ${n}`,
  lastLesson: "  这是课程的最后一课：做得好。",
  next: (task, link) => `下一步：任务 ${task} —— 请看 ${link}`,
  failing: (test, message) => `  未通过："${test}"：${message}`,
  where: (location) => `  位置：  ${location}`,
  needs: (other, task, link) =>
    `  依赖：  任务 ${other}：任务 ${task} 的这个测试会执行到它的 todo（${link}）`,
  stuck: (n) => `  卡住了？npm run hint ${n}`,
  hintHeader: (task, title, link) => `任务 ${task}：${title} —— ${link}`,
  hintFailing: (test, message) => `未通过："${test}"：${message}`,
  hintNone: "\n这个任务没有提示；上面 README 中的对应小节会一步步讲解。",
  hint: (n, of, title) => `提示 ${n}/${of}：${title}`,
  hintAgain: (n) => `（再运行一次 "npm run hint ${n}" 查看下一条提示）`,
  hintLast: (n) => `（这是最后一条提示；"npm run diff ${n}" 可以查看参考答案）`,
  hintAllPass: (lesson, n) =>
    `第 ${lesson} 课的所有任务都已通过，不需要提示。对比答案：npm run diff ${n}`,
  doesNotLoad: (lesson, message) => `第 ${lesson} 课无法加载：${message}`,
  progressChecking: (count) => `正在用 lessons/ 中你的代码检查 ${count} 课……\n`,
  stateDone: "已完成",
  stateInProgress: "进行中",
  stateNotStarted: "未开始",
  stateBroken: (message) => `无法加载：${message}`,
  tasks: (done, total) => `${done}/${total} 个任务`,
  resetNoSnapshot: (lesson) =>
    `第 ${lesson} 课在 scripts/starters.json.gz 中没有初始代码；课程文件是否完整？`,
  resetDone: (lesson, count) => `第 ${lesson} 课：已恢复初始代码（${count} 个文件）。`,
  backupAt: (dir) => `你之前的文件已备份到 ${dir}`,
  solveDone: (lesson, count) => `第 ${lesson} 课：已复制参考答案（${count} 个文件）。`,
  solveBackup: (dir, n) => `你之前的文件已备份到 ${dir}；"npm run reset ${n}" 可以恢复初始代码。`,
  diffNoTask: (lesson, task) =>
    `第 ${lesson} 课没有包含任务 ${task} 的 todo 的文件；任务编号见该课的 README。`,
  diffSame: (lesson) => `第 ${lesson} 课：你的代码与参考答案一致。`,
  diffDiffer: (lesson, count) =>
    `第 ${lesson} 课：有 ${count} 个文件与参考答案不同（− 你的，+ 答案）。`,
  demoParts: (lesson, commands) =>
    `第 ${lesson} 课的演示分为几部分：${commands}（在两个终端中运行）。`,
  demoNone: (lesson, role) => `第 ${lesson} 课没有${role ? ` "${role}" ` : ""}演示。`,
  unknownCommand: (name) => `未知命令 "${name}"`,
};

export function messages(lang: Language = language()): Messages {
  return lang === "zh" ? zh : en;
}
