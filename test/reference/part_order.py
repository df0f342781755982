"""The order zc.buildout 2.13 installs parts in, for many configurations.

Reads a JSON list of config paths on stdin; writes a JSON list of {"order": [part, ...]} or
{"error": "..."}. The order is buildout's own: install() initialises every part of [buildout]
parts, in order, and a section initialises the sections it refers to first; each section with a
recipe joins `_parts` when its initialisation ends. Recipes are not loaded.
Run with /usr/bin/python3 (Debian's python3-zc.buildout).
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

B.Options.initialize = lambda self: None
logging.disable(logging.CRITICAL)


def order(path):
    cwd = os.getcwd()
    real = sys.stdout
    sys.stdout = io.StringIO()  # buildout prints "Creating directory ..." on stdout
    try:
        b = B.Buildout(path, [], user_defaults=False)
        for part in b['buildout']['parts'].split():
            b[part]['recipe']  # what install() does first
        return {'order': list(b._parts)}
    except BaseException as e:  # noqa: the reference's own failures are data here
        return {'error': '%s: %s' % (type(e).__name__, e)}
    finally:
        sys.stdout = real
        os.chdir(cwd)


json.dump([order(path) for path in json.load(sys.stdin)], sys.stdout)
