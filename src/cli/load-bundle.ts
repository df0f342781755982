/**
 * Starts the bundled CLI (dist/assemble.js, one file made by esbuild) with a V8 code cache
 * (dist/assemble.js.cache; .inspect-cache for annotate and query) so a run neither resolves
 * dozens of modules nor compiles their functions again: together they are a tenth of a short
 * run's time. The caches are written by the build (scripts/build.js) from warm-up runs; V8
 * rejects a cache that does not match the source, the node binary or its flags, and then the
 * bundle simply compiles as usual.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

const bundle = path.join(__dirname, '..', '..', 'assemble.js');

/**
 * annotate and query only need the configuration stages: they get a cache made by an annotate
 * run alone, about 60% of the full one's size (deserialising a cache costs in proportion to
 * its size). Any cache fits the bundle; picking the wrong one costs time, never correctness.
 */
function cacheFileFor(argv: string[]): string {
  const inspecting = argv.includes('annotate') || argv.includes('query');
  return inspecting ? `${bundle}.inspect-cache` : `${bundle}.cache`;
}

function run(): void {
  if (!existsSync(bundle)) {
    // not built as a bundle (a development checkout): run the modules directly
    require('./entry');
    return;
  }
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = cacheFileFor(process.argv.slice(2));
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // node's own CommonJS wrapper, written out: loading the public 'node:module' for Module.wrap
  // and createRequire costs about 2 ms, and this file's require resolves the bundle's external
  // packages (node_modules above dist/) and built-ins just as a require made for the bundle would
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename: bundle,
    cachedData,
  });
  const wrapper = script.runInThisContext() as (
    exports: object,
    req: NodeRequire,
    mod: object,
    file: string,
    dir: string,
  ) => void;
  const mod = { exports: {} };
  if (process.env.ZETA_WRITE_CODE_CACHE === '1') {
    process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  wrapper.call(mod.exports, mod.exports, require, mod, bundle, path.dirname(bundle));
}

run();
