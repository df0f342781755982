import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 and a free port, serving the given paths. */
export async function serve(
  routes: Record<string, string | Buffer | ((req: http.IncomingMessage, res: http.ServerResponse) => void)>,
): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const route = routes[url];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } else if (typeof route === 'function') {
      route(req, res);
    } else {
      const body = typeof route === 'string' ? Buffer.from(route) : route;
      res.writeHead(200, { 'content-length': body.length }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
