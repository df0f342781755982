/**
 * The benchmark's default stack, assembled for real in a temporary directory: memcached and
 * MariaDB (priority 0), 4 waitress instances (10), haproxy (20), varnish (30), nginx (40), all
 * on 127.0.0.1 and free ports, with the flags ../shared/notes/stack.md found necessary. It stands
 * in for the example deployment until the stack recipes are merged.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const APP = `import sys
from waitress import serve
def app(environ, start_response):
    body = ('instance %s\\n' % sys.argv[1]).encode()
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
    return [body]
serve(app, host='127.0.0.1', port=int(sys.argv[1]), threads=2, _quiet=True)
`;

export async function buildBenchStack(): Promise<{ dir: string; url: string; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-pm-'));
  chmodSync(dir, 0o755); // varnish's and nginx's unprivileged users read the configs

  const p = (...s: string[]): string => path.join(dir, ...s);
  const [panel, memcached, mysql, haproxy, varnish, varnishAdmin, nginx, ...instances] = await Promise.all(Array.from({ length: 11 }, freePort));
  for (const d of ['etc', 'var/log', 'var/run', 'var/mysql', 'var/varnish', 'var/nginx/temp', 'app']) mkdirSync(p(d), { recursive: true });
  writeFileSync(p('app', 'app.py'), APP);
  writeFileSync(p('etc', 'my.cnf'), `[mariadbd]\nuser = root\ndatadir = ${p('var/mysql')}\nsocket = ${p('var/run/mysql.sock')}\npid-file = ${p('var/run/mysql.pid')}\nport = ${mysql}\nbind-address = 127.0.0.1\nlog-error = ${p('var/log/mariadb.err')}\ntmpdir = ${p('var/run')}\nskip-name-resolve\ninnodb_buffer_pool_size = 32M\ninnodb_log_file_size = 16M\n`);
  writeFileSync(p('etc', 'haproxy.cfg'), `global\n    maxconn 1000\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 30s\n    timeout server 30s\nfrontend www\n    bind 127.0.0.1:${haproxy}\n    default_backend instances\nbackend instances\n    balance leastconn\n    option httpchk GET /\n    default-server inter 500ms fall 2 rise 1\n${instances.map((port, i) => `    server instance${i + 1} 127.0.0.1:${port} check maxconn 2\n`).join('')}`);
  writeFileSync(p('etc', 'default.vcl'), `vcl 4.1;\nbackend haproxy { .host = "127.0.0.1"; .port = "${haproxy}"; }\n`);
  writeFileSync(p('etc', 'nginx.conf'), `daemon off;\nworker_processes 1;\npid ${p('var/run/nginx.pid')};\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n  client_body_temp_path ${p('var/nginx/temp/body')};\n  proxy_temp_path ${p('var/nginx/temp/proxy')};\n  fastcgi_temp_path ${p('var/nginx/temp/fastcgi')};\n  uwsgi_temp_path ${p('var/nginx/temp/uwsgi')};\n  scgi_temp_path ${p('var/nginx/temp/scgi')};\n  upstream varnish { server 127.0.0.1:${varnish}; keepalive 16; }\n  server {\n    listen 127.0.0.1:${nginx};\n    location / { proxy_pass http://varnish; proxy_http_version 1.1; proxy_set_header Connection ""; }\n  }\n}\n`);
  const init = spawnSync('/usr/bin/mariadb-install-db', ['--no-defaults', '--user=root', `--datadir=${p('var/mysql')}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8', timeout: 120_000 });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
  writeFileSync(p('buildout.cfg'), `[buildout]
parts = supervisor
[supervisor]
recipe = supervisor
port = 127.0.0.1:${panel}
user = admin
password = bench
programs =
    0 memcached (type=memcached listen=127.0.0.1:${memcached}) /usr/bin/memcached [-u root -l 127.0.0.1 -p ${memcached} -U 0 -m 16]
    0 mysql (type=mysql listen=127.0.0.1:${mysql} stopwaitsecs=30) /usr/sbin/mariadbd [--defaults-file=${p('etc/my.cnf')}]
${instances.map((port, i) => `    10 instance${i + 1} (type=zope listen=127.0.0.1:${port} ready=http://127.0.0.1:${port}/) /usr/bin/python3 [${p('app/app.py')} ${port}]`).join('\n')}
    20 haproxy (type=haproxy listen=127.0.0.1:${haproxy} stopasgroup=false) /usr/sbin/haproxy [-db -f ${p('etc/haproxy.cfg')}]
    30 varnish (type=varnish listen=127.0.0.1:${varnish} ready=http://127.0.0.1:${varnish}/ stopasgroup=false) /usr/sbin/varnishd [-F -n ${p('var/varnish')} -f ${p('etc/default.vcl')} -a 127.0.0.1:${varnish} -T 127.0.0.1:${varnishAdmin} -s malloc,32m]
    40 nginx (type=nginx listen=127.0.0.1:${nginx} ready=http://127.0.0.1:${nginx}/ stopasgroup=false) /usr/sbin/nginx [-p ${p('var/nginx')} -c ${p('etc/nginx.conf')} -e ${p('var/log/nginx-error.log')}]
`);
  const assemble = spawnSync(path.join(ROOT, 'bin', 'assemble'), ['-c', p('buildout.cfg')], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  if (assemble.status !== 0) throw new Error(`assemble failed: ${assemble.stderr}`);
  const { pm2Home } = JSON.parse(readFileSync(p('parts', 'supervisor', 'supervisor.json'), 'utf8')) as { pm2Home: string };
  const cleanup = (): void => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(pm2Home, { recursive: true, force: true });
  };
  return { dir, url: `http://127.0.0.1:${nginx}/`, cleanup };
}
