/**
 * Resolves a program name the way exec does, with the `which` package: a name with a slash is a
 * path, anything else is searched on PATH. Relative paths and PATH entries are taken from the
 * run's working directory, not cilock's own.
 */
import { delimiter, isAbsolute, resolve } from 'node:path';
import which from 'which';

/** Absolute path of the program, or undefined when it cannot be found or is not an executable file. */
export async function findExecutable(program: string, pathEnv: string | undefined, cwd: string): Promise<string | undefined> {
  if (program === '') return undefined;
  if (program.includes('/')) return (await which(resolve(cwd, program), { nothrow: true })) ?? undefined;
  // Empty PATH entries are skipped, not read as the current directory.
  const dirs = (pathEnv ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => (isAbsolute(dir) ? dir : resolve(cwd, dir)));
  if (dirs.length === 0) return undefined;
  return (await which(program, { path: dirs.join(delimiter), nothrow: true })) ?? undefined;
}
