/**
 * Node module hooks that run the project's TypeScript sources directly on Node 24, without a prior
 * `tsc` build: the profiles build, the benchmarks, `npm run sandbox` and the tests' child processes
 * (a real worker to SIGKILL, the whole service for the log scan):
 * - resolve: an ESM `./x.js` specifier written in a .ts file maps to `./x.ts` when only the .ts exists;
 * - load: project .ts files (outside node_modules) are transpiled by TypeScript's `transpileModule` (the
 *   project's own compiler), which also drops type-only imports that Node's own type stripping would keep.
 * Used as `node --import ./scripts/ts-hooks.ts scripts/build-profiles.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (parent?.startsWith('file:') && parent.endsWith('.ts') && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
      const tsUrl = new URL(specifier.replace(/\.js$/, '.ts'), parent);
      const jsUrl = new URL(specifier, parent);
      if (!existsSync(fileURLToPath(jsUrl)) && existsSync(fileURLToPath(tsUrl))) {
        return { url: tsUrl.href, format: 'module', shortCircuit: true };
      }
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/')) {
      const filename = fileURLToPath(url);
      const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2023,
          inlineSourceMap: true,
          inlineSources: true,
        },
      });
      return { format: 'module', source: outputText, shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
