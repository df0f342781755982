/**
 * An options context with a made-up machine: a recipe's options() runs against it without a
 * configuration file, a binary, a user database or a disk, and the test sees every question the
 * recipe asked of the machine (`asked`, in order) and everything it declared. What the machine
 * does not list does not exist. Only what the built-in recipes' options phases use is made up:
 * substitution knows `${section:option}` of the given sections, nothing else.
 */
import * as path from 'node:path';
import type { Account, InputFile, OptionsContext, ProbeResult, ProgramSpec, TreePaths } from '../../src/recipe';
import { makePartOptions, optionError } from '../../src/parts/part-options';
import { renderTemplate } from '../../src/parts/render';

export interface FakeMachine {
  /** Executable files by absolute path; a bare name is found in any of their directories. */
  executables?: string[];
  /** What a probe prints, by its argv joined with spaces. */
  probes?: Record<string, Partial<ProbeResult>>;
  accounts?: Account[];
  /** Files by absolute path, with their mode (default 0644). */
  files?: Record<string, { text: string; mode?: number }>;
  environment?: Record<string, string>;
}

export interface Recorded {
  /** `which NAME`, `stat PATH`, `probe ARGV`, `account NAME`, `readInput PATH`, `environment NAME`. */
  asked: string[];
  set: Map<string, string>;
  programs: ProgramSpec[];
  picks: Array<[string, string]>;
  warnings: string[];
  secrets: Set<string>;
  outputs: Map<string, { content: string; mode?: number }>;
  explain: Map<string, Record<string, string>>;
}

function tree(directory: string): TreePaths {
  return {
    directory,
    bin: path.join(directory, 'bin'),
    parts: path.join(directory, 'parts'),
    part: (name) => path.join(directory, 'parts', name),
    variable: (...segments) => path.join(directory, 'var', ...segments),
    etc: (...segments) => path.join(directory, 'etc', ...segments),
    templates: (...segments) => path.join('/zetaserver/templates', ...segments),
    zetaserver: (...segments) => path.join('/zetaserver', ...segments),
  };
}

function input(file: string, entry: { text: string; mode?: number }): InputFile {
  return { path: file, text: entry.text, bytes: Buffer.from(entry.text), mode: entry.mode ?? 0o644 };
}

type Sections = Record<string, Record<string, string>>;

export function fakeOptionsContext(
  name: string,
  options: Record<string, string>,
  machine: FakeMachine = {},
  sections: Sections = {},
  directory = '/srv/tree',
): { ctx: OptionsContext; recorded: Recorded } {
  const recorded: Recorded = {
    asked: [],
    set: new Map(),
    programs: [],
    picks: [],
    warnings: [],
    secrets: new Set(),
    outputs: new Map(),
    explain: new Map(),
  };
  const all = new Map(Object.entries(options));
  const references = new Set<string>();
  const valuesOf = (section: string): Map<string, string> =>
    section === name ? all : new Map(Object.entries(sections[section] ?? {}));
  const optionsOf = (section: string) =>
    makePartOptions(
      section,
      () => valuesOf(section),
      () => undefined,
    );
  const ask = (question: string): void => {
    recorded.asked.push(question);
  };
  const executables = machine.executables ?? [];
  const ctx: OptionsContext = {
    name,
    options: optionsOf(name),
    paths: tree(directory),
    inspecting: false,
    set: (option, value, { explain } = {}) => {
      all.set(option, value);
      recorded.set.set(option, value);
      if (explain) recorded.explain.set(option, explain);
    },
    secret: (option) => {
      recorded.secrets.add(option);
    },
    output: (file, content, { mode } = {}) => {
      recorded.outputs.set(file, { content, mode });
      return file;
    },
    section: (section) => {
      references.add(section);
      return optionsOf(section);
    },
    hasSection: (section) => section in sections,
    dependOnFile: (file) => ask(`dependOnFile ${file}`),
    readInput: (file) => {
      ask(`readInput ${file}`);
      const entry = machine.files?.[file];
      return entry && input(file, entry);
    },
    stat: (file) => {
      ask(`stat ${file}`);
      if (executables.includes(file) || machine.files?.[file]) return { kind: 'file', real: file };
      return undefined;
    },
    which: (command) => {
      ask(`which ${command}`);
      return executables.find((file) => (command.includes('/') ? file === command : path.basename(file) === command));
    },
    probe: (argv, parse) => {
      ask(`probe ${argv.join(' ')}`);
      return parse({ code: 0, stdout: '', stderr: '', ...machine.probes?.[argv.join(' ')] });
    },
    account: (user) => {
      ask(`account ${user}`);
      return machine.accounts?.find((a) => a.name === user);
    },
    environment: (variable) => {
      ask(`environment ${variable}`);
      return machine.environment?.[variable];
    },
    declareDownload: () => undefined,
    substitute: (text) =>
      text.replace(/\$\{([^:}]*):([^}]+)\}/g, (_, section: string, option: string) => {
        references.add(section || name);
        return optionsOf(section || name).required(option);
      }),
    raw: (option) => options[option],
    render: (template, view, file) => renderTemplate(template, view, file),
    references: () => [...references],
    declareProgram: (program) => {
      recorded.programs.push({ ...program, part: name });
    },
    programs: () => [],
    pick: (software, version) => {
      recorded.picks.push([software, version]);
    },
    pin: () => undefined,
    memo: (_key, _files, compute) => compute(),
    error: (option, message, hint) => optionError(name, option, message, hint, () => undefined),
    warn: (message) => {
      recorded.warnings.push(message);
    },
  };
  return { ctx, recorded };
}
