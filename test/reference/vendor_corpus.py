"""Makes the real-world corpus (test/fixtures/corpus/<case>/) from git mirrors of public repositories.

How the corpus was made, so that a case can be checked or made again; the tests do not run it.
Reads a JSON spec on stdin:
    {"mirrors": {"owner/name": "/path/to/mirror.git", ...},
     "remotes": [{"prefix": URL-PREFIX, "repository": "owner/name", "ref": REF, "path": PATH-PREFIX,
                  "note": WHY (when the file is a stand-in for the URL's content)}, ...],
     "cases": [{"name": CASE, "repository": "owner/name", "ref": REF, "root": PATH, "note": ...}, ...]}
For each case it copies the root file and every file its `extends` reaches (each file's own
[buildout] extends, conditional sections evaluated as zc.buildout 2.13 evaluates them) from the
commit REF names, keeping their paths; a remote file (`extends = http...`) is taken from the
repository a `remotes` rule maps its URL to, stored under _remote/<host>/<path>, and the
`extends` line naming it is rewritten to that local file. case.json records the source
repository, path and commit of the case and of every vendored file, and every rewrite.
Run with /usr/bin/python3 (Debian's python3-zc.buildout).
"""
import collections
import collections.abc
collections.MutableMapping = collections.abc.MutableMapping  # 2.13.2 predates Python 3.10
import io
import json
import os
import posixpath
import re
import subprocess
import sys

import zc.buildout.buildout as B
import zc.buildout.configparser as configparser

CORPUS = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'corpus')
URL = re.compile(r'^https?://')


def git(mirror, *args):
    return subprocess.run(['git', '-C', mirror, *args], capture_output=True, check=True).stdout


def commit_of(mirror, ref):
    return git(mirror, 'rev-parse', ref + '^{commit}').decode().strip()


def remote_rule(remotes, url):
    for rule in remotes:
        if url == rule['prefix'] or (rule['prefix'].endswith('/') and url.startswith(rule['prefix'])):
            return rule
    return None


def newer_globals():
    """zc.buildout 2.13's condition names plus the python37... ones later versions define: a
    file 2.13 cannot parse (the case then records that it rejects it) still names its extends."""
    names = B._default_globals()
    for minor in range(7, 15):
        names['python3%d' % minor] = sys.version_info[:2] == (3, minor)
    return names


def extends_of(text, name):
    try:
        data = configparser.parse(io.StringIO(text), name, B._default_globals)
    except NameError:
        data = configparser.parse(io.StringIO(text), name, newer_globals)
    return data.get('buildout', {}).get('extends', '').split()


def rewrite_extends(text, replacements):
    """Replaces URLs by local paths inside the extends options of [buildout] sections only."""
    out = []
    in_buildout = False
    in_extends = False
    for line in text.splitlines(keepends=True):
        header = configparser.section_header(line)
        if header:
            in_buildout = header.group('name') == 'buildout'
            in_extends = False
        elif line[:1] not in ' \t' or not line.strip():
            if line.strip() and line[0] not in '#;':
                option = configparser.option_start(line)
                in_extends = bool(in_buildout and option and option.group('name').strip() == 'extends')
        if in_extends:
            for url, local in replacements.items():
                line = re.sub(r'(?<!\S)' + re.escape(url) + r'(?!\S)', local, line)
        out.append(line)
    return ''.join(out)


def make_case(spec, case):
    mirrors = spec['mirrors']
    mirror = mirrors[case['repository']]
    commit = commit_of(mirror, case['ref'])
    target = os.path.join(CORPUS, case['name'])
    files = {}      # local path in the case -> text
    vendored = []
    rewrites = []
    todo = [(case['root'], None)]  # (path in case, (rule, mirror, commit, repo path, url) for a remote file)
    done = set()
    while todo:
        path, remote = todo.pop(0)
        if path in done:
            continue
        done.add(path)
        if remote:
            rule, rmirror, rcommit, rpath, url = remote
            text = git(rmirror, 'show', '%s:%s' % (rcommit, rpath)).decode('utf-8')
            entry = {'url': url, 'file': path, 'repository': rule['repository'], 'commit': rcommit, 'path': rpath}
            if rule.get('note'):
                entry['note'] = rule['note']
            vendored.append(entry)
        else:
            text = git(mirror, 'show', '%s:%s' % (commit, path)).decode('utf-8')
        replacements = {}
        for name in extends_of(text, path):
            here = posixpath.dirname(path)
            if remote and not URL.match(name):
                name = url.rsplit('/', 1)[0] + '/' + name  # relative to the remote file's URL
            if URL.match(name):
                rule = remote_rule(spec['remotes'], name)
                if rule is None:
                    raise SystemExit('%s: no remotes rule for %s (named in %s)' % (case['name'], name, path))
                rmirror = mirrors[rule['repository']]
                rcommit = commit_of(rmirror, rule['ref'])
                rpath = rule['path'] if name == rule['prefix'] else rule['path'] + name[len(rule['prefix']):]
                local = posixpath.join('_remote', re.sub(r'^https?://', '', name))
                relative = posixpath.relpath(local, here or '.')
                # a remote file's relative extends need no rewrite: _remote/ mirrors the URLs' paths
                if re.search(r'(?<!\S)' + re.escape(name) + r'(?!\S)', text):
                    replacements[name] = relative
                    rewrites.append({'file': path, 'from': name, 'to': relative})
                todo.append((local, (rule, rmirror, rcommit, rpath, name)))
            else:
                todo.append((posixpath.normpath(posixpath.join(here, name)), None))
        files[path] = rewrite_extends(text, replacements) if replacements else text
    os.makedirs(target, exist_ok=True)
    for path, text in files.items():
        full = os.path.join(target, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', encoding='utf-8', newline='') as f:
            f.write(text)
    meta = {
        'source': {'repository': case['repository'], 'ref': case['ref'], 'commit': commit, 'path': case['root']},
        'root': case['root'],
        'files': sorted(p for p in files if not p.startswith('_remote/')),
    }
    if vendored:
        meta['vendored'] = vendored
        meta['rewritten'] = rewrites
    for key in ('note', 'args', 'reference'):
        if key in case:
            meta[key] = case[key]
    with open(os.path.join(target, 'case.json'), 'w') as f:
        json.dump(meta, f, indent=2)
        f.write('\n')
    print('%s: %d files, %d vendored' % (case['name'], len(meta['files']), len(vendored)))


def main():
    spec = json.load(sys.stdin)
    only = set(sys.argv[1:])
    for case in spec['cases']:
        if not only or case['name'] in only:
            make_case(spec, case)


main()
