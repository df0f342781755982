/** Codes of nodesets: the [nodeset] and [role.NAME] sections, and the nodes they describe. */
import { EXIT, type CodeEntry } from './status';

const { refused, environment } = EXIT;

export const nodesetCodes = {
  NODESET_MISSING: {
    status: refused,
    meaning: 'a nodeset command was given a configuration without a [nodeset] section or without a [role.NAME] section',
    hint: 'a nodeset file extends the deployment and adds [nodeset] (name = ...) and one [role.NAME] section per role (docs/nodeset.md).',
  },
  NODESET_BAD_VALUE: {
    status: refused,
    meaning: 'an option of [nodeset] or of a role has a value it cannot take (a kind, a number, a boolean, serial)',
    hint: 'docs/nodeset.md lists every option with the values it takes.',
  },
  NODESET_BAD_ADDRESS: {
    status: refused,
    meaning: "a role's addresses names something that is not an IPv4 or IPv6 address",
    hint: 'write addresses as literals (10.231.0.11, fd00::11), separated by spaces; host names go in node-name.',
  },
  NODESET_DUPLICATE_ADDRESS: {
    status: refused,
    meaning: 'two nodes of a nodeset have the same address',
    hint: 'every node is a host of its own: give each one its own address (a node runs every part of its role).',
  },
  NODESET_DUPLICATE_NODE: {
    status: refused,
    meaning: 'two nodes of a nodeset have the same name',
    hint: 'a role of several nodes needs {{n}} in its node-name (app{{n}}.example.org), and roles need different names.',
  },
  NODESET_NODE_COUNT: {
    status: refused,
    meaning: "a role's nodes option does not match the number of its addresses",
    hint: 'nodes is a check of the addresses line: change both together, or leave nodes out.',
  },
  NODESET_EMPTY_ROLE: {
    status: refused,
    meaning: 'a role has no addresses (no nodes) or no parts',
    hint: 'give the role at least one address and one part, or remove the section.',
  },
  NODESET_TWO_BALANCERS: {
    status: refused,
    meaning: 'a nodeset has more than one balancer node',
    hint: 'the rolling deploy drains app servers in one haproxy: one balancer role with one address.',
  },
  NODESET_UNKNOWN_PART: {
    status: refused,
    meaning: "a role names a part that is not in the deployment's [buildout] parts",
    hint: "a role's parts are parts of the deployment the nodeset extends (bin/assemble -c FILE query buildout:parts lists them).",
  },
  NODESET_PART_IN_TWO_ROLES: {
    status: refused,
    meaning: 'a part is named by two roles',
    hint: 'each part that runs a program runs on the nodes of one role: name it in one role only.',
  },
  NODESET_UNASSIGNED_PART: {
    status: refused,
    meaning: 'a part of the deployment runs a program but no role names it',
    hint: 'add the part to the role whose nodes should run it, or remove it from [buildout] parts.',
  },
  NODESET_UNKNOWN_NODE: {
    status: refused,
    meaning: 'a nodeset command names a node the nodeset does not have',
    hint: 'bin/assemble -c FILE nodeset list shows the nodes (their full or short names).',
  },
  NODESET_FOREIGN_BIND: {
    status: refused,
    meaning:
      "a program of a node's tree would listen on an address that is not the node's (all interfaces, or another host's)",
    hint: "bind the service through a hosts option its role names in hosts-options, so that each node's tree binds its own address.",
  },
  NODESET_AGENT_TLS: {
    status: environment,
    meaning: "the controller could not make the agents' certificate (openssl missing or failing)",
    hint: 'install openssl (apt-get install openssl) and run again; the pair is kept in .nodeset/NAME/agent-tls/.',
  },
  NODESET_VAR_TAKEN: {
    status: environment,
    meaning: "a node's tree has a var/ of its own where the link to the shared directory must be",
    hint: 'move var/ into the shared directory (its data outlives releases there), or remove it, and run again.',
  },
  NODESET_DEPLOY_FAILED: {
    status: EXIT.failed,
    meaning:
      'a step of a deploy or rollback failed on a node: the rollout stopped there, and the app nodes it had switched went back',
    hint: 'the lines above say what each node did and why the step failed; fix that and run again (nodes already at the release are left alone).',
  },
  NODESET_UNREACHABLE: {
    status: environment,
    meaning: 'a node did not answer over ssh (found at the start, nothing changed; later, the rollout stopped there)',
    hint: 'check that the node is up and its sshd answers with the pinned host key (nodeset ssh-config prints a configuration to try it with ssh), then run again.',
  },
} satisfies Record<string, CodeEntry>;
