"""zc.buildout 2.13 (Debian python3-zc.buildout) as a command, for the benchmarks: Python 3.11 needs
collections.MutableMapping restored before the import. Run with /usr/bin/python3."""
import collections, collections.abc
collections.MutableMapping = collections.abc.MutableMapping
import sys
import zc.buildout.buildout as B
B.main(sys.argv[1:])
