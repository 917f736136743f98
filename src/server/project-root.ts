/**
 * The project folder (where package.json is), found from this file so that `.data/` lands in the
 * project whether the code runs from src/ (tests) or dist/ (npm start).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this module that holds a package.json. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) {
      return process.cwd();
    }
    dir = up;
  }
}

/** The git-ignored data folder of the embedded defaults (`<project>/.data`). */
export function dataDir(): string {
  return join(projectRoot(), '.data');
}
