/**
 * The hand-made reference chain the stack's throughput targets came from, as it was run by hand:
 * its nginx.conf (two workers, loopback TCP to varnish with keepalive 32, HTTP and HTTPS on one
 * server, the static file served by nginx itself) and its three-sub VCL, with Debian's binaries.
 * bench/stack.ts runs it beside the example's chain, on free ports, with the example's haproxy as
 * its backend and the example's certificate, so its reference figures (0.52 over HTTP, 0.39 over
 * HTTPS, measured by hand) are measured again on the same machine at the same time, not quoted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkOnce } from '../test/helpers/readiness';

export interface ReferencePorts {
  http: number;
  https: number;
  varnish: number;
  varnishAdmin: number;
  backend: number;
}

function nginxConf(root: string, ports: ReferencePorts, certificate: string, key: string): string {
  return `worker_processes 2;
pid ${root}/run/nginx.pid;
error_log ${root}/logs/nginx-error.log warn;
events {
    worker_connections 1024;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${root}/logs/nginx-access.log combined buffer=64k flush=5s;
    client_body_temp_path ${root}/nginx/temp/client_body;
    proxy_temp_path       ${root}/nginx/temp/proxy;
    fastcgi_temp_path     ${root}/nginx/temp/fastcgi;
    uwsgi_temp_path       ${root}/nginx/temp/uwsgi;
    scgi_temp_path        ${root}/nginx/temp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    upstream varnish {
        server 127.0.0.1:${ports.varnish};
        keepalive 32;
    }
    server {
        listen 127.0.0.1:${ports.http};
        listen 127.0.0.1:${ports.https} ssl http2;
        server_name localhost;
        ssl_certificate     ${certificate};
        ssl_certificate_key ${key};
        ssl_protocols TLSv1.2 TLSv1.3;
        root ${root}/www;
        if ($request_method = PURGE) {
            return 405;
        }
        location /static/ {
        }
        location = /system_error/index.html {
            internal;
        }
        location / {
            proxy_pass http://varnish;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 5s;
            proxy_read_timeout 120s;
            proxy_intercept_errors on;
            error_page 502 503 504 =503 /system_error/index.html;
        }
    }
}
`;
}

function vcl(backend: number): string {
  return `vcl 4.1;
backend haproxy {
    .host = "127.0.0.1";
    .port = "${backend}";
    .connect_timeout = 5s;
    .first_byte_timeout = 120s;
    .between_bytes_timeout = 60s;
}
acl purge {
    "127.0.0.1";
}
sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purge) {
            return (synth(405, "PURGE not allowed from " + client.ip));
        }
        return (purge);
    }
}
sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    set resp.http.X-Cache-Hits = obj.hits;
}
`;
}

export interface ReferenceChain {
  /** Process groups of its daemons (for their CPU time). */
  groups: number[];
  stop(): Promise<void>;
}

async function answering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await checkOnce({ kind: 'http', url, status: 200, host: 'localhost' })) return;
    if (Date.now() > deadline) throw new Error(`the reference chain did not answer ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes and starts the chain in `root` (made here); `page` is the static file, as the example serves it. */
export async function startReferenceChain(
  root: string,
  ports: ReferencePorts,
  tls: { certificate: string; key: string },
  page: string,
): Promise<ReferenceChain> {
  for (const dir of ['etc', 'run', 'logs', 'nginx/temp', 'varnish', 'www/static', 'www/system_error'])
    mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'etc', 'nginx.conf'), nginxConf(root, ports, tls.certificate, tls.key));
  writeFileSync(path.join(root, 'etc', 'default.vcl'), vcl(ports.backend));
  writeFileSync(path.join(root, 'www', 'static', 'page.html'), page);
  writeFileSync(path.join(root, 'www', 'system_error', 'index.html'), 'System error\n');
  // nginx's workers run as nobody (the compiled default when the master is root)
  for (const dir of ['', 'www', 'www/static', 'www/system_error']) chmodSync(path.join(root, dir), 0o755);
  const children: ChildProcess[] = [];
  const launch = (command: string, args: string[]) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const stop = async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  try {
    launch('varnishd', [
      '-F',
      '-j',
      'none',
      '-n',
      path.join(root, 'varnish'),
      '-f',
      path.join(root, 'etc', 'default.vcl'),
      '-a',
      `127.0.0.1:${ports.varnish}`,
      '-T',
      `127.0.0.1:${ports.varnishAdmin}`,
      '-s',
      'malloc,128M',
      '-P',
      path.join(root, 'run', 'varnish.pid'),
    ]);
    launch('nginx', [
      '-p',
      path.join(root, 'nginx'),
      '-c',
      path.join(root, 'etc', 'nginx.conf'),
      '-e',
      path.join(root, 'logs', 'nginx-error.log'),
      '-g',
      'daemon off;',
    ]);
    await answering(`http://127.0.0.1:${ports.http}/`, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { groups: children.map((c) => c.pid!), stop };
}
