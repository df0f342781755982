"""The example deployment's second site: a tiny WSGI application behind the front door.

The front door (the nginx part, front-door = on) routes the demo domain here, next to the public
host's Plone chain, to show one nginx routing several domains to several backends. It keeps no
state and needs nothing but waitress (Debian python3-waitress), which serves it.

GET /health    200 "ok" (the readiness check)
GET anything   a small page naming the host it was asked for and the path
"""
import html
import os

NAME = os.path.basename(os.environ.get("INSTANCE_HOME", "")) or "demo"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/health":
        body = b"ok\n"
        content_type = "text/plain; charset=utf-8"
    else:
        host = html.escape(environ.get("HTTP_HOST", "?"))
        body = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Demo site</title></head>"
            "<body><h1>%s</h1><p>The demo site of the example deployment, served by %s at %s.</p>"
            "</body></html>\n" % (host, NAME, html.escape(path))
        ).encode("utf-8")
        content_type = "text/html; charset=utf-8"
    start_response(
        "200 OK",
        [("Content-Type", content_type), ("Content-Length", str(len(body))), ("X-Instance", NAME)],
    )
    return [body]
