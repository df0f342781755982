"""A minimal template recipe for zc.buildout, for the no-op benchmark: the same work Zetaserver's
`template` recipe does (substituted inline text written to `output`, rewritten by update() only
when it changed). Installed by putting this directory on PYTHONPATH (the .egg-info makes it a
distribution with a zc.buildout entry point), so buildout needs no develop step."""
import os


class Recipe(object):
    def __init__(self, buildout, name, options):
        self.options = options
        self.text = options['inline']
        self.output = options['output']

    def install(self):
        directory = os.path.dirname(self.output)
        if not os.path.isdir(directory):
            os.makedirs(directory)
        with open(self.output, 'w') as f:
            f.write(self.text)
        return [self.output]

    def update(self):
        try:
            with open(self.output) as f:
                same = f.read() == self.text
        except IOError:
            same = False
        if not same:
            return self.install()
