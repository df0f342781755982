import { chmodSync, mkdirSync, symlinkSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, tempDir } from './paths';
import { assemble, assembleAsync, type RunResult } from './run';

/** A deployment directory in a temporary place, with the demo recipe package installed. */
export class Deployment {
  readonly dir: string;
  readonly cleanup: () => void;

  constructor(config?: string) {
    const temp = tempDir('zeta-deploy-');
    // as a real tree is: the service users (nobody, nginx's workers) must be able to enter it
    chmodSync(temp.dir, 0o755);
    this.dir = temp.dir;
    this.cleanup = temp.cleanup;
    mkdirSync(path.join(this.dir, 'node_modules'));
    symlinkSync(
      path.join(FIXTURES, 'recipes', 'zetaserver-recipe-demo'),
      path.join(this.dir, 'node_modules', 'zetaserver-recipe-demo'),
    );
    if (config !== undefined) this.write('buildout.cfg', config);
  }

  path(...segments: string[]): string {
    return path.join(this.dir, ...segments);
  }

  write(file: string, text: string): void {
    mkdirSync(path.dirname(this.path(file)), { recursive: true });
    writeFileSync(this.path(file), text);
  }

  read(file: string): string {
    return readFileSync(this.path(file), 'utf8');
  }

  exists(file: string): boolean {
    return existsSync(this.path(file));
  }

  run(...args: string[]): RunResult {
    return assemble(args, { cwd: this.dir });
  }

  runAsync(...args: string[]): Promise<RunResult> {
    return assembleAsync(args, { cwd: this.dir });
  }

  state(): {
    order: string[];
    parts: Record<string, { paths: string[]; options: Record<string, string>; reads: Record<string, string> }>;
  } {
    return JSON.parse(this.read('.installed.json'));
  }
}

export function withDeployment(config: string, body: (d: Deployment) => void | Promise<void>): Promise<void> {
  const deployment = new Deployment(config);
  // through then(): a synchronous body that throws (a failed assertion) still cleans up
  return Promise.resolve()
    .then(() => body(deployment))
    .finally(() => deployment.cleanup());
}
