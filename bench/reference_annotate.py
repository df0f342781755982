"""zc.buildout 2.13 resolving a configuration and printing it as JSON: the same work as
`bin/assemble annotate --json`, for the benchmarks. Arguments: the file, then any command-line
assignments (section:option=value). Run with /usr/bin/python3."""
import collections
import collections.abc
collections.MutableMapping = collections.abc.MutableMapping
import io
import json
import logging
import sys

import zc.buildout.buildout as B


def assignment(arg):
    option, value = arg.split('=', 1)
    section, _, name = option.rpartition(':')
    return (section.strip() or 'buildout', name.strip(), value.strip())


B.Options.initialize = lambda self: None
logging.disable(logging.CRITICAL)
real = sys.stdout
sys.stdout = io.StringIO()
b = B.Buildout(sys.argv[1], [assignment(a) for a in sys.argv[2:]], user_defaults=False)
sections = {name: {k: b[name][k] for k in b[name].keys()} for name in list(b._raw)}
sys.stdout = real
json.dump({'sections': sections}, sys.stdout)
