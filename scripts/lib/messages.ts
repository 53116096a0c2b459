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

const en = {
  whichLesson: (range: string) =>
    `which lesson? Give its number, e.g. "npm run lesson 1" (lessons: ${range}).`,
  noSuchLesson: (arg: string, range: string) =>
    `there is no lesson "${arg}" — lessons are ${range}; "npm run progress" lists them.`,
  noLessonsYet: "none yet",
  summaryTitle: (lesson: string, solution: boolean) =>
    `Lesson ${lesson} — ${solution ? "the reference solution" : "your files"}`,
  cannotLoad: (file: string, message: string) => `could not load ${file}: ${message}`,
  allPass: (count: number) => `all ${count} tasks pass.`,
  compare: (n: number) => `  compare with the reference: npm run diff ${n}`,
  goOn: (n: number) => `  then go on:                 npm run lesson ${n}`,
  next: (task: number, link: string) => `next: task ${task} — see ${link}`,
  failing: (test: string, message: string) => `  failing: "${test}": ${message}`,
  where: (location: string) => `  where:   ${location}`,
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
  resetNeedsGit: "reset takes the starter from git history; clone the course with git.",
  resetFailed: (stderr: string) => `git could not restore the starter: ${stderr}`,
  resetDone: (lesson: string, count: number) =>
    `lesson ${lesson}: starter restored (${count} files).`,
  backupAt: (dir: string) => `your previous files are in ${dir}`,
  solveDone: (lesson: string, count: number) =>
    `lesson ${lesson}: solution copied in (${count} files).`,
  solveBackup: (dir: string, n: number) =>
    `your previous files are in ${dir}; "npm run reset ${n}" brings the starter back.`,
  diffNeedsGit: "course: diff needs git on the PATH.",
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
  allPass: (count) => `全部 ${count} 个任务都已通过。`,
  compare: (n) => `  与参考答案对比：npm run diff ${n}`,
  goOn: (n) => `  继续下一课：    npm run lesson ${n}`,
  next: (task, link) => `下一步：任务 ${task} —— 请看 ${link}`,
  failing: (test, message) => `  未通过："${test}"：${message}`,
  where: (location) => `  位置：  ${location}`,
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
  resetNeedsGit: "reset 需要从 git 历史中取回初始代码；请用 git 克隆本课程。",
  resetFailed: (stderr) => `git 无法恢复初始代码：${stderr}`,
  resetDone: (lesson, count) => `第 ${lesson} 课：已恢复初始代码（${count} 个文件）。`,
  backupAt: (dir) => `你之前的文件已备份到 ${dir}`,
  solveDone: (lesson, count) => `第 ${lesson} 课：已复制参考答案（${count} 个文件）。`,
  solveBackup: (dir, n) => `你之前的文件已备份到 ${dir}；"npm run reset ${n}" 可以恢复初始代码。`,
  diffNeedsGit: "course: diff 需要 PATH 中有 git。",
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
