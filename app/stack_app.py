"""The example deployment's application: a small WSGI stand-in for a Plone site.

Zope cannot be installed on these machines (no package index), so each zope-instance part serves
this application with waitress (Debian python3-waitress). It reads its database and cache
settings from the instance's own zope.conf (the RelStorage <mysql> section and cache-servers),
talks to MariaDB with PyMySQL (Debian python3-pymysql) and to memcached with its text protocol,
and understands Zope's virtual hosting paths, as nginx sends them:

    /VirtualHostBase/http/localhost:8000/Plone/VirtualHostRoot/db

GET /          a page, cacheable (Cache-Control: public, max-age=60)
GET /db        increments a counter row in MariaDB and returns it (uncacheable)
GET /memcached stores and reads back a value in memcached (uncacheable)
GET /health    200 "ok" (the readiness and haproxy check)
Every answer names the instance in an X-Instance header.
"""
import os
import re
import socket
import threading

INSTANCE = os.path.basename(os.environ.get("INSTANCE_HOME", "")) or "instance"
VHM = re.compile(r"^/VirtualHostBase/(https?)/([^/]+)/(.*?)/?VirtualHostRoot(/.*)?$")
_local = threading.local()
_schema_lock = threading.Lock()
_schema_ready = []


ZCONFIG_NAME = re.compile(r"\$(?:\$|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})")


def zconfig_substitute(value, defines):
    """ZConfig's substitution: $$ is a $, $name and ${name} a %define (names are case-insensitive)."""
    def replace(match):
        name = match.group(1) or match.group(2)
        if name is None:
            return "$"
        if name.lower() not in defines:
            raise ValueError("zope.conf: no %%define for %r" % name)
        return defines[name.lower()]
    return ZCONFIG_NAME.sub(replace, value)


def read_zope_conf(path):
    """The <mysql> settings and cache-servers of a zope.conf written by the zope-instance recipe,
    with values read as ZConfig reads them (%define and $ substitution)."""
    settings, section, defines = {}, None, {}
    with open(path) as conf:
        for raw in conf:
            line = raw.strip()
            if line.startswith("%define "):
                _, name, value = (line.split(None, 2) + [""])[:3]
                defines[name.lower()] = zconfig_substitute(value, defines)
            elif line.startswith("<mysql>"):
                section = "mysql"
            elif line.startswith("</mysql>"):
                section = None
            elif line and not line.startswith(("#", "%", "<")):
                key, _, value = line.partition(" ")
                settings[(section or "relstorage") + ":" + key] = zconfig_substitute(value.strip(), defines)
    return settings


SETTINGS = read_zope_conf(os.environ["ZOPE_CONF"])


def connect():
    import pymysql  # imported on first use: the instance starts (and is ready) sooner
    args = dict(user=SETTINGS.get("mysql:user"), password=SETTINGS.get("mysql:passwd", ""),
                database=SETTINGS.get("mysql:db"), autocommit=False, connect_timeout=5)
    if "mysql:unix_socket" in SETTINGS:
        args["unix_socket"] = SETTINGS["mysql:unix_socket"]
    else:
        args["host"] = SETTINGS.get("mysql:host", "127.0.0.1")
        args["port"] = int(SETTINGS.get("mysql:port", "3306"))
    return pymysql.connect(**args)


def connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = connect()
    else:
        conn.ping(reconnect=True)
    if not _schema_ready:
        with _schema_lock, conn.cursor() as cur:
            # the application makes its own table, as RelStorage makes its schema
            cur.execute("CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, value BIGINT NOT NULL) ENGINE=InnoDB")
            cur.execute("INSERT IGNORE INTO counter VALUES (1, 0)")
            conn.commit()
            _schema_ready.append(True)
    return conn


def count():
    conn = connection()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT value FROM counter WHERE id=1 FOR UPDATE")
            (value,) = cur.fetchone()
            cur.execute("UPDATE counter SET value=value+1 WHERE id=1")
        conn.commit()
        return value + 1
    except Exception:
        conn.rollback()
        raise


def memcached_roundtrip():
    host, _, port = SETTINGS.get("relstorage:cache-servers", "127.0.0.1:11211").split()[0].rpartition(":")
    value = "%s-%d" % (INSTANCE, threading.get_ident() % 10000)
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(b"set zetaserver-check 0 60 %d\r\n%s\r\nget zetaserver-check\r\n" % (len(value), value.encode()))
        reply = b""
        while not reply.endswith(b"END\r\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            reply += chunk
    return value if value.encode() in reply else "mismatch: %r" % reply


PAGE = ("<!DOCTYPE html><html><head><title>Zetaserver example</title></head><body>"
        "<h1>Hello from %s</h1><p>%s</p></body></html>\n")
FILLER = "lorem ipsum " * 40


def respond(path, headers):
    if path == "/":
        headers += [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "public, max-age=60")]
        return "200 OK", (PAGE % (INSTANCE, FILLER)).encode()
    if path == "/health":
        headers += [("Content-Type", "text/plain"), ("Cache-Control", "no-cache")]
        return "200 OK", b"ok\n"
    if path in ("/db", "/memcached"):
        headers += [("Content-Type", "text/plain"), ("Cache-Control", "no-cache, no-store, private")]
        try:
            text = "counter=%d" % count() if path == "/db" else "memcached=%s" % memcached_roundtrip()
            return "200 OK", ("%s served by %s\n" % (text, INSTANCE)).encode()
        except Exception as error:  # the error goes to the client: this is a test application
            return "500 Internal Server Error", ("error: %r\n" % (error,)).encode()
    headers += [("Content-Type", "text/plain")]
    return "404 Not Found", b"not found\n"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    headers = [("X-Instance", INSTANCE)]
    match = VHM.match(path)
    if match:
        scheme, host, site, rest = match.groups()
        headers.append(("X-Virtual-Host", "%s://%s/%s" % (scheme, host, site)))
        path = rest or "/"
    status, body = respond(path, headers)
    headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]
