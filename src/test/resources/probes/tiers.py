"""Knocks on every tier of the compose stack from inside one of its networks, as an intruder
there would (lab/TierProbes runs it in a throwaway container of the Patroni image, which has
python3, psql and nothing of the stack's secrets but the development passwords it is given).
Prints one JSON object per line: probe, outcome (unreachable, refused, accepted), detail."""
import json
import os
import socket
import subprocess
import urllib.error
import urllib.request

TIMEOUT = 3


def report(probe, outcome, detail):
    print(json.dumps({"probe": probe, "outcome": outcome, "detail": detail[:160]}), flush=True)


def redis(probe, lines, refusals=("-NOAUTH", "-NOPERM", "-WRONGPASS")):
    """Sends inline commands; the last reply decides: a refusal, or accepted."""
    try:
        with socket.create_connection(("redis", 6379), TIMEOUT) as s:
            s.settimeout(TIMEOUT)
            reply = b""
            for line in lines:
                s.sendall(line if isinstance(line, bytes) else line.encode() + b"\r\n")
                reply = s.recv(4096)
            text = reply.decode(errors="replace").strip()
            report(probe, "refused" if text.startswith(refusals) else "accepted", text)
    except OSError as e:
        report(probe, "unreachable", str(e))


def http(probe, method, url, body=None):
    request = urllib.request.Request(url, method=method, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            report(probe, "accepted", f"{answer.status} {answer.read(120).decode(errors='replace')}")
    except urllib.error.HTTPError as e:
        report(probe, "refused" if e.code in (401, 403) else "accepted", f"{e.code} {e.reason}")
    except (urllib.error.URLError, OSError) as e:
        report(probe, "unreachable", str(getattr(e, "reason", e)))


def postgres(probe, conninfo, password, statement="select 1"):
    environment = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT=str(TIMEOUT))
    done = subprocess.run(["psql", "-X", "-tAc", statement, conninfo], env=environment,
                          capture_output=True, text=True, timeout=TIMEOUT * 3)
    text = (done.stdout + done.stderr).strip().replace("\n", " ")
    if done.returncode == 0:
        report(probe, "accepted", text)
    elif "pg_hba.conf" in text or "authentication failed" in text:
        report(probe, "refused", text)
    else:
        report(probe, "unreachable", text)


passwords = json.loads(os.environ["DEV_PASSWORDS"])
redis("Redis without a login: SET product:1", ["SET product:1 pwned"])
redis("Redis as the API's user: FLUSHALL", [f"AUTH api {passwords['redis']}", "FLUSHALL"])
redis("Redis as the API's user: PUBLISH on the invalidation channel",
      [f"AUTH api {passwords['redis']}", "PUBLISH __redis__:invalidate x"])
redis("Redis as the API's user: CONFIG SET", [f"AUTH api {passwords['redis']}", "CONFIG SET save 1"])
http("Patroni without a login: PATCH /config synchronous_mode false", "PATCH",
     "http://pg-1:8008/config", b'{"synchronous_mode": false}')
http("Patroni without a login: POST /failover", "POST", "http://pg-1:8008/failover", b'{"candidate": "pg-2"}')
http("etcd: GET /version", "GET", "http://etcd-1:2379/version")
for target in ("haproxy-1 port=5000", "pg-1 port=5432"):
    host = target.split()[0]
    postgres(f"PostgreSQL superuser over TCP ({host}), right password", f"host={target} user=postgres dbname=postgres",
             passwords["superuser"])
    postgres(f"PostgreSQL replication ({host}), right password",
             f"host={target} user=replicator dbname=postgres replication=true", passwords["replication"],
             "IDENTIFY_SYSTEM")
