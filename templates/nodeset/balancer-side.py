# The balancer's side of a node's activation: the health gate over HTTP, and haproxy's runtime API.
#   view:   one line per server of the backend (those named, or all): name, status, check,
#           sessions, address
#   drain:  state drain, wait until the server has no session, then state maint (a server that is
#           DOWN has none: community.general.haproxy would wait for DRAIN there, which never comes)
#   gate:   each URL answers 200, asked every 0.2 s for at most GATE seconds
#   enable: the gate on the URLs given, then state ready, wait until haproxy's own check says UP
# haproxy's waits take at most RETRIES seconds each. A balancer that runs no haproxy yet (the
# first deploy: the balancer goes last) and servers it does not know yet (a node being added: the
# balancer's next release names them) take no traffic, so there is nothing to drain or enable:
# said, and not an error. An empty SOCKET: no haproxy at all. `step: NAME` lines say how far it got.
# argv: view|drain|gate|enable SOCKET BACKEND RETRIES GATE [SERVER...] [-- URL...]
import csv, os, socket, sys, time, urllib.error, urllib.request

action, path, backend, retries, gate_seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rest = sys.argv[6:]
servers, urls = (rest[: rest.index('--')], rest[rest.index('--') + 1 :]) if '--' in rest else (rest, [])


def step(name):
    print(f'step: {name}', flush=True)


def gate():
    step('gate')
    # never through a proxy from the balancer's environment: the URLs are the nodes' own addresses
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.time() + gate_seconds
    for url in urls:
        while True:
            status, reason, body = None, '', b''
            try:
                with opener.open(url, timeout=2) as answer:
                    status, reason, body = answer.status, answer.reason, answer.read(200)
            except urllib.error.HTTPError as e:
                status, reason, body = e.code, e.reason, e.read(200)
            except (OSError, ValueError) as e:
                reason = str(getattr(e, 'reason', e))
            if status == 200:
                print(f'gate {url}: HTTP 200')
                break
            if time.time() > deadline:
                said = ' '.join(body.decode('utf-8', 'replace').split())
                answered = f'HTTP {status} {reason}' if status else f'no answer: {reason}'
                sys.exit(f'gate {url}: {answered}' + (f'; body: {said}' if said else '') + f' (for {gate_seconds} s)')
            time.sleep(0.2)


def ask(command):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(path)
    s.sendall(command.encode() + b'\n')
    data = b''
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return data.decode()


def backend_rows():
    table = csv.DictReader(ask('show stat').lstrip('# ').splitlines())
    return {r['svname']: r for r in table if r['pxname'] == backend and r['svname'] not in ('FRONTEND', 'BACKEND')}


def line(r):
    return f"{r['svname']} {r['status']} check: {r.get('check_status')} {r.get('last_chk')} sessions: {r.get('scur')} address: {r.get('addr')}"


if action in ('gate', 'enable') and urls:
    gate()
if action == 'gate' or not path:
    sys.exit(0)

if not os.path.exists(path):
    print(f'no haproxy runs at {path} yet: nothing to {action}')
    sys.exit(0)

if action == 'view':
    for name, r in backend_rows().items():
        if not servers or name in servers:
            print(line(r))
    sys.exit(0)

known = backend_rows()
for server in [s for s in servers if s not in known]:
    print(f"{server}: not in haproxy's backend {backend} yet: nothing to {action}")
servers = [s for s in servers if s in known]
if not servers:
    sys.exit(0)
step(action)


def rows():
    found = backend_rows()
    missing = [s for s in servers if s not in found]
    if missing:
        sys.exit(f'haproxy has no server {", ".join(missing)} in backend {backend}')
    return found


def wait(done, what):
    deadline = time.time() + retries
    while True:
        now = rows()
        if all(done(now[s]) for s in servers):
            return
        if time.time() > deadline:
            sys.exit(f'{what} not reached within {retries} s: ' + '; '.join(line(now[s]) for s in servers))
        time.sleep(0.05)


for server in servers:
    ask(f'set server {backend}/{server} state {"drain" if action == "drain" else "ready"}')
if action == 'drain':
    wait(lambda r: r['scur'] == '0', 'no sessions left')
    for server in servers:
        ask(f'set server {backend}/{server} state maint')
    wait(lambda r: r['status'].startswith('MAINT'), 'MAINT')
else:
    wait(lambda r: r['status'].startswith('UP'), 'UP')
now = rows()
for server in servers:
    print(line(now[server]))
