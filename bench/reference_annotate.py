"""zc.buildout 2.13 resolving a configuration and printing it as JSON: the same work as
`bin/assemble annotate --json`, for the benchmark. Run with /usr/bin/python3."""
import collections
import collections.abc
collections.MutableMapping = collections.abc.MutableMapping
import io
import json
import logging
import sys

import zc.buildout.buildout as B

B.Options.initialize = lambda self: None
logging.disable(logging.CRITICAL)
real = sys.stdout
sys.stdout = io.StringIO()
b = B.Buildout(sys.argv[1], [], user_defaults=False)
sections = {name: {k: b[name][k] for k in b[name].keys()} for name in list(b._raw)}
sys.stdout = real
json.dump({'sections': sections}, sys.stdout)
