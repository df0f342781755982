/**
 * The CLI's contract: exit codes, error format (code, file:line:column, section and option, code
 * frame, hint, no stack trace), the default -c lookup, annotate's text and JSON forms, query,
 * and command-line overrides.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/paths';
import { assemble } from '../helpers/run';
import { withDeployment } from '../helpers/deployment';

function withConfig(text: string, body: (dir: string, file: string) => void, name = 'deployment.cfg'): void {
  const { dir, cleanup } = tempDir();
  try {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    body(dir, file);
  } finally {
    cleanup();
  }
}

const SAMPLE = `[buildout]
parts =
[hosts]
public = localhost
varnish = 127.0.0.1
[ports]
http = 8000
[site]
url = http://\${hosts:public}:\${ports:http}/
escaped = $\${HOME}
`;

test('-c defaults to buildout.cfg, then deployment.cfg', () => {
  withConfig(SAMPLE, (dir) => {
    const r = assemble(['query', 'site:url'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'http://localhost:8000/\n');
    writeFileSync(path.join(dir, 'buildout.cfg'), SAMPLE.replace('8000', '9999'));
    assert.equal(assemble(['query', 'site:url'], { cwd: dir }).stdout, 'http://localhost:9999/\n');
  });
  const { dir, cleanup } = tempDir();
  try {
    const r = assemble(['annotate'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /error\[CONFIG_NOT_FOUND\]: no configuration file: neither buildout\.cfg nor deployment\.cfg/,
    );
    assert.match(r.stderr, /hint: name one with -c FILE/);
  } finally {
    cleanup();
  }
});

test('an unknown option is reported with file, line, column, section, option, frame and a suggestion', () => {
  withConfig(SAMPLE.replace('${ports:http}', '${ports:htp}'), (dir) => {
    const r = assemble(['annotate', '--json'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    const expected = [
      'error[MISSING_OPTION]: ${ports:htp} refers to option "htp" of [ports], which does not exist',
      '  --> deployment.cfg:9:30  [site] url',
      '    |',
      '  8 | [site]',
      '  9 | url = http://${hosts:public}:${ports:htp}/',
      '    |                              ^^^^^^^^^^^^',
      '  hint: did you mean ${ports:http}?',
    ].join('\n');
    assert.equal(r.stderr.trim(), expected);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });
});

test('an unknown section suggests the nearest one', () => {
  withConfig(SAMPLE.replace('${hosts:public}', '${host:public}'), (dir) => {
    const r = assemble(['annotate'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /error\[MISSING_SECTION\]: \$\{host:public\} refers to section \[host\], which is not defined/,
    );
    assert.match(r.stderr, /hint: did you mean \[hosts\]\?/);
  });
});

test('a cycle is printed as its path', () => {
  withConfig('[buildout]\nparts =\n[a]\nx = ${b:y}\n[b]\ny = ${a:x}\n', (dir) => {
    const r = assemble(['annotate'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /circular reference in substitutions: (a:x -> b:y -> a:x|b:y -> a:x -> b:y)/);
  });
});

test('all parse errors of a file are reported at once', () => {
  withConfig('[buildout]\nparts =\nfirst bad line\n[ok]\nx = 1\nsecond bad line\n  [not a header\n', (dir) => {
    const r = assemble(['annotate'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /deployment\.cfg:3:1/);
    assert.match(r.stderr, /deployment\.cfg:6:1/);
    assert.match(r.stderr, /2 errors/);
  });
});

test('command-line overrides, +=, and annotate showing where each value came from', () => {
  withConfig(SAMPLE, (dir) => {
    const r = assemble(['ports:http=9000', 'hosts:public += extra', 'annotate', 'site', 'hosts'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\[site\]\nescaped = \$\$\{HOME\}/);
    assert.match(r.stdout, /url = http:\/\/localhost\n +extra:9000\//);
    assert.match(r.stdout, /raw: http:\/\/\$\{hosts:public\}:\$\{ports:http\}\//);
    assert.match(r.stdout, /set +deployment\.cfg:9/);
    assert.match(r.stdout, /\+= +command line \(hosts:public \+= extra\)/);
  });
});

test('annotate --json is the {"sections": ...} contract', () => {
  withConfig(SAMPLE, (dir) => {
    const r = assemble(['annotate', '--json'], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['sections']);
    assert.equal(json.sections.site.url, 'http://localhost:8000/');
    assert.equal(json.sections.buildout.directory, dir);
    assert.equal(json.sections.buildout['bin-directory'], path.join(dir, 'bin'));
  });
});

test('bad arguments and unknown commands exit 2 with a hint', () => {
  withConfig(SAMPLE, (dir) => {
    const unknown = assemble(['frobnicate'], { cwd: dir });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const flag = assemble(['-x'], { cwd: dir });
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /unknown option "-x"/);
    const override = assemble(['a:b:c=1', 'annotate'], { cwd: dir });
    assert.equal(override.status, 2);
    assert.match(override.stderr, /BAD_OVERRIDE/);
    // the same option twice: zc.buildout's rule (the value that sorts last), said in a warning
    const twice = assemble(['a:x=9', 'a:x=10', 'query', 'a:x'], { cwd: dir });
    assert.equal(twice.status, 0, twice.stderr);
    assert.equal(twice.stdout, '9\n');
    const said = assemble(['a:x=9', 'a:x=10', 'annotate', 'a'], { cwd: dir });
    assert.match(
      said.stderr,
      /warning\[REPEATED_OVERRIDE\]: a:x is assigned twice on the command line; as in zc\.buildout, the value that sorts last wins: "9"\n[^]*hint: assign each option once/,
    );
  });
});

test('a missing extends file points at the extends line', () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf', 'base.cfg'), '[a]\nx = 1\n');
    writeFileSync(path.join(dir, 'buildout.cfg'), '[buildout]\nparts =\nextends = conf/bsae.cfg\n');
    const r = assemble(['annotate'], { cwd: dir });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /CONFIG_NOT_FOUND/);
    assert.match(r.stderr, /buildout\.cfg:3:11/);
    assert.match(r.stderr, /did you mean .*conf\/base\.cfg/);
  } finally {
    cleanup();
  }
});

test('--help and --version', () => {
  const help = assemble(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: bin\/assemble/);
  assert.match(assemble(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});

test(
  'query and annotate give a value a recipe derives, and a value that refers to one (the options phase ' +
    'runs, as for install)',
  async () => {
    await withDeployment(
      `[buildout]
parts = files
[files]
recipe = zetaserver-recipe-demo
content = hello
[site]
where = \${files:location}/out.txt
`,
      (d) => {
        const derived = d.run('query', 'files:location');
        assert.equal(derived.status, 0, derived.stderr);
        assert.equal(derived.stdout, `${d.path('parts', 'files')}\n`);
        assert.equal(d.run('query', 'site:where').stdout, `${d.path('parts', 'files', 'out.txt')}\n`);
        // annotate too, which before failed with MISSING_OPTION on such a reference
        const annotated = d.run('annotate', 'site');
        assert.equal(annotated.status, 0, annotated.stderr);
        assert.match(
          annotated.stdout,
          new RegExp(
            `^where = ${d.path('parts', 'files', 'out.txt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n    raw: ` +
              `\\$\\{files:location\\}/out\\.txt`,
            'm',
          ),
        );
        assert.equal(d.exists('parts'), false, 'query and annotate make nothing');
      },
    );
  },
);
