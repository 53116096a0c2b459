/** npm run lesson <N> [-- --solution] [-- --watch] [-- --verbose] [-- --full]: the exit code. */
export function lesson(args: string[]): Promise<number>;
