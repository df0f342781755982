"""A small HTTP backend for the nodeset tests: answers who it is, and (for in-flight requests
during a drain) slowly on /slow. HTTP/1.1 with keep-alive, one thread per connection, bound to
the one address it is given. SIGTERM ends it at once, like a crash for requests in flight."""
import argparse
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument('--bind', required=True)
parser.add_argument('--port', type=int, required=True)
parser.add_argument('--name', required=True)
parser.add_argument('--generation', required=True)
options = parser.parse_args()
IDENTITY = f'{options.name} {options.generation} {os.getpid()}\n'.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        if self.path.startswith('/slow'):
            time.sleep(0.2)
        body = b'ok\n' if self.path == '/health' else IDENTITY
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer((options.bind, options.port), Handler).serve_forever()
