import * as path from 'node:path';
import { mkdtempSync, cpSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The repository root (tests run from dist/test/...). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const ASSEMBLE = path.join(ROOT, 'bin', 'assemble');
export const REFERENCE_PYTHON = '/usr/bin/python3';

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'zeta-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a fixture directory into a fresh temporary directory (tools may write beside configs). */
export function copyFixture(relative: string): { dir: string; cleanup: () => void } {
  const temp = tempDir();
  cpSync(path.join(FIXTURES, relative), temp.dir, { recursive: true });
  return temp;
}

export function referenceAvailable(): boolean {
  return existsSync('/usr/lib/python3/dist-packages/zc/buildout/buildout.py');
}
