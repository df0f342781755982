/**
 * A small real HTTP backend for the porter tests, run as its own process:
 * `node porter-backend.js NAME PORT`. It says who it is and what it was asked (JSON), so a test
 * can see which backend got a request and with which path and Host. `/slow` answers after 5 s,
 * `/status/CODE` answers with that status. Prints "listening PORT" when ready.
 */
import * as http from 'node:http';

const [name, port] = process.argv.slice(2);

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/slow') {
    const timer = setTimeout(() => res.end(`${name} was slow\n`), 5000);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  const status = /^\/status\/(\d{3})$/.exec(url);
  if (status) {
    res.writeHead(Number(status[1]), { 'content-type': 'text/plain' }).end(`${name} answers ${status[1]} itself\n`);
    return;
  }
  const body = JSON.stringify({
    backend: name,
    method: req.method,
    url,
    host: req.headers.host,
    forwardedFor: req.headers['x-forwarded-for'],
    forwardedProto: req.headers['x-forwarded-proto'],
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
});

server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
