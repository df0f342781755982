"""Resolves many buildout configurations with zc.buildout 2.13 (Debian's python3-zc.buildout).

Reads a JSON list of {"file": PATH, "args": ["section:option=value", ...]} on stdin and writes a
JSON list of {"sections": {...}} or {"error": "TypeName: message"} to stdout. Recipes are not
loaded: only the configuration is resolved, as `bin/assemble annotate --json` does.
Run with /usr/bin/python3 (the pyenv python3 on PATH cannot see Debian's packages).
"""
import collections
import collections.abc
collections.MutableMapping = collections.abc.MutableMapping  # 2.13.2 predates Python 3.10
import io
import json
import logging
import os
import sys

import zc.buildout.buildout as B

B.Options.initialize = lambda self: None  # resolve options without installing recipes
logging.disable(logging.CRITICAL)


def assignments(args):
    out = []
    for arg in args:
        option, value = arg.split('=', 1)
        option = option.split(':')
        if len(option) == 1:
            option = ['buildout', option[0]]
        out.append((option[0].strip(), option[1].strip(), value.strip()))
    return out


def resolve(job):
    cwd = os.getcwd()
    try:
        b = B.Buildout(job['file'], assignments(job.get('args', [])), user_defaults=False)
        sections = {}
        for name in list(b._raw):
            options = b[name]
            sections[name] = {k: options[k] for k in options.keys()}
        return {'sections': sections}
    except BaseException as e:  # noqa: the reference's own failures are data here
        return {'error': '%s: %s' % (type(e).__name__, e)}
    finally:
        os.chdir(cwd)


def main():
    jobs = json.load(sys.stdin)
    real_stdout = sys.stdout
    sys.stdout = io.StringIO()  # buildout prints "Creating directory ..." on stdout
    results = [resolve(job) for job in jobs]
    sys.stdout = real_stdout
    json.dump(results, sys.stdout)


main()
