/** Resolves a program name the way exec does: a name with a slash is a path, anything else is searched on PATH. */
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the program, or undefined when it cannot be found or is not executable. */
export async function findExecutable(program: string, pathEnv: string | undefined, cwd: string): Promise<string | undefined> {
  if (program.includes('/')) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    return (await isExecutableFile(path)) ? path : undefined;
  }
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(isAbsolute(dir) ? dir : resolve(cwd, dir), program);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
