# haproxy's runtime API, on the balancer:
#   view:   one line per server of the backend (those named, or all): name, status, check,
#           sessions, address
#   drain:  state drain, wait until the server has no session, then state maint (a server that is
#           DOWN has none: community.general.haproxy would wait for DRAIN there, which never comes)
#   enable: state ready, wait until haproxy's own check says UP
# Each waits at most RETRIES seconds. A balancer that runs no haproxy yet (the first deploy: the
# balancer goes last) and servers it does not know yet (a node being added: the balancer's next
# release names them) take no traffic, so there is nothing to drain or enable: said, and not an
# error.
# argv: view|drain|enable SOCKET BACKEND RETRIES [SERVER...]
import csv, os, socket, sys, time

action, path, backend, retries, servers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]


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
