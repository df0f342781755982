/**
 * The agents' certificate: one key pair per nodeset, made on the controller once and shipped to
 * every node's shared directory, so that each node's panel serves HTTPS and each agent checks
 * its peers against the same certificate (their addresses are in it). The bearer token then
 * never crosses hosts in the clear. The pair is made again when the set of nodes changes (a node
 * added or removed changes the addresses it must name), which changes every node's release.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Nodeset } from './model';
import { nodesetErrors } from '../errors/codes';
import { readTextIf } from '../util/read-text-if';

export const AGENT_TLS = 'agent-tls';
const CERTIFICATE = 'agent.crt';
const KEY = 'agent.key';
const NAMES = 'names';
const DAYS = 3650;

export interface AgentTlsFiles {
  certificate: string;
  key: string;
}

export function agentTlsFiles(dir: string): AgentTlsFiles {
  return { certificate: path.join(dir, CERTIFICATE), key: path.join(dir, KEY) };
}

/** The names the certificate must hold: every node's address and name. */
function subjectNames(nodeset: Nodeset): string {
  return nodeset.nodes.map((n) => `IP:${n.address},DNS:${n.name}`).join(',');
}

/** `<controlDir>/agent-tls`, made or made again when its names are not the nodeset's. */
export function ensureAgentTls(nodeset: Nodeset): string {
  const dir = path.join(nodeset.controlDir, AGENT_TLS);
  const names = subjectNames(nodeset);
  const files = agentTlsFiles(dir);
  const namesFile = path.join(dir, NAMES);
  if (existsSync(files.certificate) && existsSync(files.key) && readTextIf(namesFile) === names) return dir;
  mkdirSync(nodeset.controlDir, { recursive: true });
  const scratch = `${dir}.new`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  const made = agentTlsFiles(scratch);
  writeFileSync(made.key, '', { mode: 0o600 }); // 0600 before openssl writes the key into it
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        made.key,
        '-out',
        made.certificate,
        '-days',
        String(DAYS),
        '-subj',
        `/CN=zetaserver agents ${nodeset.name}`,
        '-addext',
        `subjectAltName=${names}`,
      ],
      { stdio: 'pipe', timeout: 60_000 },
    );
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    const e = error as { stderr?: Buffer; message: string };
    throw nodesetErrors.agentTls(dir, (e.stderr?.toString().trim() || e.message).split('\n')[0]);
  }
  writeFileSync(path.join(scratch, NAMES), names);
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  return dir;
}

/** The certificate's hash: part of every node's release, so a new pair reaches every node. */
export function agentTlsHash(dir: string): string {
  const text = readTextIf(agentTlsFiles(dir).certificate);
  return text === undefined ? '' : createHash('sha256').update(text).digest('hex');
}
