/**
 * Codes of the parts engine: recipes and their options, the part graph, versions, the checks
 * before anything is touched, running the plan and the installed state.
 */
import { EXIT, type CodeEntry } from './status';

const { refused, warning, interrupted } = EXIT;

export const engineCodes = {
  RECIPE_NOT_FOUND: {
    status: refused,
    meaning: 'a part names a recipe that is neither built in nor an installed npm package',
    hint:
      'built-in recipes are in recipes/; for a package, npm install it ' +
      'in the deployment directory and pin it in [versions].',
  },
  RECIPE_INVALID: {
    status: refused,
    meaning: 'a recipe package does not export a recipe made with defineRecipe',
    hint:
      'a recipe module exports (as default or by name) an object made ' +
      'with defineRecipe({name, version, install, ...}).',
  },
  RECIPE_FAILED: {
    status: refused,
    meaning: 'a recipe failed with an error of its own (not one located at an option); the part is rolled back',
    hint: "the message is the recipe's; run again with --debug for the recipe's stack trace.",
  },
  RECIPE_WARNING: {
    status: warning,
    meaning: 'a warning a recipe gives about its part',
    hint: "the warning is the recipe's own: its documentation (docs/stack.md for the built-in recipes) explains it.",
  },
  RECIPE_CHANGES_OPTION: {
    status: refused,
    meaning: 'a recipe would change an option the configuration sets (a recipe may only add options)',
    hint:
      'if the recipe derives the option itself, remove it from the ' +
      "part; otherwise report it to the recipe's author.",
  },
  BAD_OPTION: {
    status: refused,
    meaning: "a recipe refuses the value of one of its part's options; the error points at the option",
    hint: "the recipe's documentation (docs/stack.md for the built-in recipes) lists its options and their values.",
  },
  UNKNOWN_OPTION: {
    status: refused,
    meaning:
      'a part has an option its recipe does not know and nothing refers ' +
      'to (a warning unless allow-unknown-options = false)',
    hint: "remove it, or correct its name: the recipe's documentation lists the options it knows.",
  },
  UNUSED_SECTION: {
    status: warning,
    meaning: 'a warning: no part, reference, macro or recipe reads a section (often a misspelt header)',
    hint: 'remove the section, or list it in [buildout] parts, refer to it, or copy it with "<=".',
  },
  PART_CYCLE: {
    status: refused,
    meaning: 'parts need each other, through ${part:option} references or "=>", in a circle',
    hint: 'a part may not need, through ${part:option} references or "=>", a part that needs it; break one link.',
  },
  UNKNOWN_PART: {
    status: refused,
    meaning: 'install NAME or plan NAME names something that is not a part',
    hint: '[buildout] parts names the parts; plan lists them.',
  },
  NOT_A_PART: {
    status: refused,
    meaning: '[buildout] parts names a section that has no recipe option',
    hint: 'add "recipe = ..." to the section, or remove it from parts.',
  },
  VERSION_CONFLICT: {
    status: refused,
    meaning: 'the installed version of a recipe package or program does not satisfy its pin in [versions]',
    hint: 'install a version matching the pin, or change the pin in [versions].',
  },
  UNPINNED: {
    status: refused,
    meaning: 'allow-picked-versions = false, and a version was picked that [versions] does not pin',
    hint: 'add the pins the error lists to your versions file (update-versions-file = versions.cfg does it for you).',
  },
  TEMPLATE_ERROR: {
    status: refused,
    meaning: 'a template cannot be parsed, or uses a mustache feature the assembler does not support',
    hint: 'templates are mustache without partials: {{name}}, {{#list}}...{{/list}}, {{^flag}}...{{/flag}}.',
  },
  TEMPLATE_MISSING_VARIABLE: {
    status: refused,
    meaning: 'a template uses a variable its view does not define',
    hint: "give it a value in the view the recipe builds, or in the part's options.",
  },
  PROGRAM_CLASH: {
    status: refused,
    meaning: 'two parts declare programs with the same name',
    hint: 'program names must be unique; rename one of the parts.',
  },
  PORT_OUT_OF_RANGE: {
    status: refused,
    meaning: 'a program listens on or forwards to a port outside 1-65535',
    hint: 'give it a port from 1 to 65535, usually in [ports].',
  },
  ADDRESS_CLASH: {
    status: refused,
    meaning: 'two programs would listen on the same address and port (0.0.0.0 overlaps every address)',
    hint: 'give one of them another port in [ports] (or another address in [hosts]).',
  },
  UPSTREAM_MISMATCH: {
    status: refused,
    meaning: 'a program forwards to an address no program of the deployment listens on',
    hint: "point it at the next hop's listen address, or add the part that listens there.",
  },
  PATH_UNREACHABLE: {
    status: refused,
    meaning: "run as root, a program's user could not enter a directory above the tree (docs/stack.md)",
    hint: "put the tree where the programs' users can enter, or let them through with setfacl or chmod o+x.",
  },
  STATE_CORRUPT: {
    status: refused,
    meaning: 'the installed-state file (.installed.json) cannot be read',
    hint: 'move it aside and run again: every part will be installed afresh.',
  },
  UNSAFE_REMOVE: {
    status: refused,
    meaning: 'a part recorded a path that holds the whole tree, which the assembler refuses to remove',
    hint: 'the recipe registered a path it should not own; remove the part from .installed.json by hand.',
  },
  EXEC_FAILED: {
    status: refused,
    meaning: 'a command a recipe runs (configure, make, a check) failed or could not be run; the part is rolled back',
    hint: 'the last lines of its output (and the full log) say why; fix the cause and run again.',
  },
  COMMAND_NOT_FOUND: {
    status: refused,
    meaning: "a command to run does not exist or is not executable (a build tool, or a program's command)",
    hint: 'install it (see README "Requirements"), build it, or give its absolute path.',
  },
  INTERRUPTED: {
    status: interrupted,
    meaning: 'the run was interrupted (^C, SIGTERM); the part being installed is rolled back',
    hint: 'run again: it carries on with the parts that are not installed yet.',
  },
} satisfies Record<string, CodeEntry>;
