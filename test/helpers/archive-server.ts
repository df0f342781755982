import type * as http from 'node:http';
import { serve, type TestServer } from './http-server';
import { sha256 } from './source-project';
import { Deployment } from './deployment';

export interface ArchiveServer extends TestServer {
  /** The full URL of a route. */
  at(route: string): string;
  /** sha256 of what a route serves. */
  sha(route: string): string;
}

/** A local HTTP server for archives built by the test; unknown paths answer 404. */
export async function serveArchives(
  archives: Record<string, Buffer>,
  extra: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {},
): Promise<ArchiveServer> {
  const server = await serve({ ...archives, ...extra });
  return {
    ...server,
    at: (route) => `${server.url}${route}`,
    sha: (route) => sha256(archives[route]),
  };
}

/** Runs `body` with a server for `archives` and an empty deployment; closes and removes both. */
export async function withArchiveServer(
  archives: Record<string, Buffer>,
  body: (server: ArchiveServer, d: Deployment) => Promise<void>,
): Promise<void> {
  const server = await serveArchives(archives);
  const d = new Deployment();
  try {
    await body(server, d);
  } finally {
    await server.close();
    d.cleanup();
  }
}
