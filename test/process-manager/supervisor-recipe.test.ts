/**
 * The supervisor recipe at assembly, without starting anything: what it writes and with which
 * modes (secrets 0600/0700), the short pm2 home, programs declared by other parts merged with the
 * `programs` lines, and its option errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { withDeployment } from '../helpers/deployment';

const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

test('writes the ecosystem, the config (0600), per-program wrappers (0700) and the two launchers', () =>
  withDeployment(
    `[buildout]
parts = db supervisor
[db]
recipe = zetaserver-recipe-demo:program
port = 13306
priority = 0
command = /usr/sbin/mariadbd --defaults-file=/x/my.cnf
environment = DB_PASSWORD=hunter2
[supervisor]
recipe = collective.recipe.supervisor
port = 19001
user = admin
password = secret
programs =
    10 web (ready=http://127.0.0.1:18080/health listen=127.0.0.1:18080 stopsignal=INT stopwaitsecs=3) /usr/bin/python3 [-m http.server 18080] /tmp true nobody
`,
    (d) => {
      const r = d.run();
      assert.equal(r.status, 0, r.stderr);
      const config = JSON.parse(d.read('parts/supervisor/supervisor.json'));
      assert.equal(mode(d.path('parts/supervisor/supervisor.json')), '600');
      assert.equal(mode(d.path('parts/supervisor/ecosystem.json')), '600');
      assert.equal(mode(d.path('parts/supervisor/programs/db.sh')), '700');
      assert.equal(mode(d.path('bin/supervisord')), '755');
      assert.match(config.pm2Home, /^\/tmp\/zs-[0-9a-f]{12}$/);
      assert.deepEqual(config.panel, { host: '127.0.0.1', port: 19001, user: 'admin', password: 'secret' });
      assert.deepEqual(
        config.programs.map((p: { name: string }) => p.name),
        ['db', 'web'],
      );
      const web = config.programs[1];
      assert.deepEqual(web.ready, { kind: 'http', url: 'http://127.0.0.1:18080/health' });
      assert.equal(web.stopSignal, 'SIGINT');
      assert.equal(web.stopTimeoutMs, 3000);
      assert.equal(web.redirectStderr, true);
      assert.equal(web.errLog, web.outLog);
      const wrapper = d.read('parts/supervisor/programs/web.sh');
      assert.match(wrapper, /setpriv --reuid='nobody'/);
      assert.match(wrapper, /exec \/usr\/bin\/env -i 'PATH=\/usr\/local\/sbin:/);
      assert.match(d.read('parts/supervisor/programs/db.sh'), /'DB_PASSWORD=hunter2'/);
      const apps = JSON.parse(d.read('parts/supervisor/ecosystem.json')).apps;
      assert.equal(apps[0].autorestart, false);
      assert.equal(apps[0].interpreter, 'none');
      assert.match(d.read('bin/supervisorctl'), /supervisorctl\.js' --config '.*parts\/supervisor\/supervisor\.json'/);
    },
  ));

test('option errors: no password, a panel on all interfaces, an unknown program option', () =>
  withDeployment(
    `[buildout]
parts = supervisor
[supervisor]
recipe = supervisor
user = admin
`,
    (d) => {
      const missing = d.run();
      assert.equal(missing.status, 2);
      assert.match(
        missing.stderr,
        /error\[BAD_OPTION\]: part \[supervisor\] needs "user" and "password" for its control panel/,
      );
      d.write(
        'buildout.cfg',
        '[buildout]\nparts = supervisor\n[supervisor]\nrecipe = supervisor\nuser = a\npassword = b\nport = ' +
          '0.0.0.0:9001\n',
      );
      const open = d.run();
      assert.equal(open.status, 2);
      assert.match(open.stderr, /the control panel may not listen on all interfaces \(0\.0\.0\.0\)/);
      d.write(
        'buildout.cfg',
        '[buildout]\nparts = supervisor\n[supervisor]\nrecipe = supervisor\nuser = a\npassword = b\nprograms = ' +
          '10 web (startsec=1) /usr/bin/true\n',
      );
      const option = d.run();
      assert.equal(option.status, 2);
      assert.match(
        option.stderr,
        /unknown program option "startsec"\n[\s\S]*hint: known options: autostart, startsecs/,
      );
    },
  ));
