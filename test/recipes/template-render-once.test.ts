/**
 * The template recipe renders a template's own text exactly once: `${...}` values are put in
 * after mustache has rendered the text, so a value holding `{{...}}`, `{{#x}}` (which mustache
 * would take for an unclosed section) or `${...}` reaches the file as written, wherever the
 * reference sits (inside a mustache section, twice, in an inline template).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { withDeployment } from '../helpers/deployment';

// `$${y}` keeps its `$$` in the value, as zc.buildout 2.13 resolves it: no reference either way
const PASSWORD = 'p{{recipe}}{{#x}}$${y}';
const CONFIG = `[buildout]
parts = from-file inline
[passwords]
database = p{{recipe}}{{#x}}$\${y}
[from-file]
recipe = collective.recipe.template
input = zodbpack.conf.in
output = etc/zodbpack.conf
flag = yes
[inline]
recipe = template
output = etc/inline.conf
inline =
    passwd \${passwords:database} in {{output}}
`;

test('a substituted value holding mustache tags and ${...} reaches the file exactly as written', () =>
  withDeployment(CONFIG, (d) => {
    d.write(
      'zodbpack.conf.in',
      'passwd ${passwords:database}\n{{#flag}}again ${passwords:database} ' +
        '({{recipe}}){{/flag}}\n{{^flag}}never ${passwords:database}{{/flag}}\n',
    );
    const result = d.run();
    assert.equal(result.status, 0, result.stderr);
    assert.equal(d.read('etc/zodbpack.conf'), `passwd ${PASSWORD}\nagain ${PASSWORD} (collective.recipe.template)\n\n`);
    assert.equal(d.read('etc/inline.conf'), `passwd ${PASSWORD} in etc/inline.conf`);
    const again = d.run();
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout + again.stderr, /from-file|nothing/i);
    assert.equal(
      d.read('etc/zodbpack.conf').split('\n')[0],
      `passwd ${PASSWORD}`,
      'a second run renders the same text',
    );
  }));

test('a bad reference inside a template with mustache tags is still located at its line and column', () =>
  withDeployment(CONFIG, (d) => {
    d.write('zodbpack.conf.in', 'a {{flag}}\nb = ${passwords:nosuch}\n');
    const result = d.run();
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /error\[MISSING_OPTION\]: \$\{passwords:nosuch\} refers to option "nosuch" of \[passwords\]/,
    );
    assert.match(result.stderr, /--> zodbpack\.conf\.in:2:5 {2}\[from-file\]/);
    assert.ok(!d.exists('etc/zodbpack.conf'));
  }));
