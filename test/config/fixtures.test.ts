/**
 * Every configuration fixture resolved in-process: values the case expects, or the error it
 * expects (code, file, line, column, hint) printed the one way errors are printed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { configCases } from '../helpers/config-cases';
import { copyFixture } from '../helpers/paths';
import { loadConfig } from '../../src/config/load-config';
import { ZetaError } from '../../src/errors/zeta-error';

for (const c of configCases()) {
  test(`config fixture ${c.name}`, async () => {
    const { dir, cleanup } = copyFixture(c.dir);
    try {
      let resolved: Map<string, Map<string, string>> | undefined;
      let failure: unknown;
      try {
        const config = await loadConfig({ file: path.join(dir, 'buildout.cfg'), assignments: c.args });
        resolved = new Map([...config.data.keys()].map((name) => [name, config.resolver.options(name)]));
      } catch (error) {
        failure = error;
      }
      if (c.error) {
        assert.ok(
          failure instanceof ZetaError,
          `expected ${c.error.code}, got ${failure ? String(failure) : 'success'}`,
        );
        const e = failure as ZetaError;
        assert.equal(e.code, c.error.code, e.message);
        if (c.error.file) assert.equal(path.basename(e.location?.file ?? ''), c.error.file, 'file');
        if (c.error.line) assert.equal(e.location?.line, c.error.line, 'line');
        if (c.error.column) assert.equal(e.location?.column, c.error.column, 'column');
        if (c.error.message)
          assert.ok(
            e.message.includes(c.error.message),
            `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(c.error.message)}`,
          );
        if (c.error.hint)
          assert.ok(
            (e.hint ?? '').includes(c.error.hint),
            `hint ${JSON.stringify(e.hint)} lacks ${JSON.stringify(c.error.hint)}`,
          );
        if (c.error.related !== undefined) assert.equal(e.related.length, c.error.related, 'related errors');
        return;
      }
      if (failure) throw failure;
      for (const [section, options] of Object.entries(c.expect ?? {})) {
        assert.ok(resolved!.has(section), `section [${section}] missing`);
        for (const [option, value] of Object.entries(options)) {
          assert.equal(resolved!.get(section)!.get(option), value, `${section}:${option}`);
        }
      }
    } finally {
      cleanup();
    }
  });
}
