"""Writes the configuration Patroni runs with (stdout; entrypoint.sh puts it in
/etc/patroni/patroni.yml before each start): patroni.yml, with backups.yml merged over it when
BACKUPS=on, and the restore bootstrap when a person asked for one (scripts/restore.sh leaves a
request file beside the empty data directory)."""
import ipaddress
import os
import shlex
import socket
import sys

import yaml

SHARE = "/usr/local/share/patroni"
HOME = "/var/lib/postgresql/patroni"
DATA_DIR = HOME + "/data"
REQUEST = HOME + "/restore-request"
SUPERUSER = "postgres"
REPLICATION_USER = "replicator"
REWIND_USER = "rewinder"
RESTORE_COMMAND = 'pgbackrest --stanza=products archive-get %f "%p"'


def merge(into, overlay):
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value


def restore_request():
    """key=value lines: type (latest, time, xid or name) and target; None when there is none to honour."""
    if not os.path.isfile(REQUEST):
        return None
    if os.path.isdir(DATA_DIR) and os.listdir(DATA_DIR):
        print(f"patroni-config: {REQUEST} ignored: {DATA_DIR} is not empty", file=sys.stderr)
        return None
    with open(REQUEST) as f:
        pairs = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    kind = pairs.get("type", "latest")
    if kind not in ("latest", "time", "xid", "name"):
        raise SystemExit(f"patroni-config: {REQUEST}: unknown type {kind!r}")
    if kind != "latest" and not pairs.get("target"):
        raise SystemExit(f"patroni-config: {REQUEST}: type {kind} needs a target")
    return kind, pairs.get("target", "")


def restore_bootstrap(kind, target):
    """Patroni's custom bootstrap: pgBackRest restores the files, PostgreSQL replays the archive to
    the target and promotes itself; then Patroni runs post_bootstrap and takes the leader key."""
    recovery = {
        "restore_command": RESTORE_COMMAND,
        "recovery_target_timeline": "latest",
        "recovery_target_action": "promote",
    }
    command = ["/etc/patroni/pgbackrest-restore.sh", "--type=" + kind]
    if kind == "time":
        recovery["recovery_target_time"] = target
    elif kind == "xid":
        # Stop just before that transaction commits: the state it would have changed.
        recovery["recovery_target_xid"] = target
        recovery["recovery_target_inclusive"] = False
    elif kind == "name":
        recovery["recovery_target_name"] = target
    if kind != "latest":
        command.append("--target=" + target)
    return {
        "command": " ".join(shlex.quote(part) for part in command),
        "no_params": True,
        "keep_existing_recovery_conf": False,
        "recovery_conf": recovery,
    }


def peer_network():
    """The subnet this node reaches the other nodes on: the route of the interface that carries the
    address its connect address (PATRONI_POSTGRESQL_CONNECT_ADDRESS, e.g. pg-1-peer:5432 on
    docker-compose.yml's db-cluster network) resolves to. Replication and pg_rewind are let in from
    there only. PG_PEER_NETWORK (a CIDR) names it instead."""
    if os.environ.get("PG_PEER_NETWORK"):
        return str(ipaddress.ip_network(os.environ["PG_PEER_NETWORK"], strict=False))
    host = os.environ["PATRONI_POSTGRESQL_CONNECT_ADDRESS"].rsplit(":", 1)[0]
    own = ipaddress.ip_address(socket.gethostbyname(host))
    with open("/proc/net/route") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    for row in rows:
        # The kernel prints each address as the hex of a native integer holding network-order bytes.
        destination, gateway, mask = (socket.ntohl(int(v, 16)) for v in (row[1], row[2], row[7]))
        if gateway == 0 and mask != 0 and int(own) & mask == destination:
            prefix = bin(mask).count("1")
            return str(ipaddress.ip_network(f"{own}/{prefix}", strict=False))
    raise SystemExit(f"patroni-config: no route holds {own} ({host}): set PG_PEER_NETWORK")


def pg_hba():
    """Who may log in, and how (docs/security.md, "PostgreSQL"): first match wins.
    The socket is inside the container: Patroni, its hooks, and psql through `docker exec`. Over TCP
    the superuser is refused (PG_SUPERUSER_FROM lets one address in: the test lab's harness, from the
    Docker host), replication and pg_rewind come from the other nodes only, everyone else (the API's
    role, through HAProxy) with a SCRAM password."""
    peers = peer_network()
    rules = [
        "local all all trust",
        "local replication all trust",
        f"host replication {REPLICATION_USER} {peers} scram-sha-256",
        f"host all {REWIND_USER} {peers} scram-sha-256",
    ]
    if os.environ.get("PG_SUPERUSER_FROM"):
        address = ipaddress.ip_network(os.environ["PG_SUPERUSER_FROM"], strict=False)
        rules.append(f"host all {SUPERUSER} {address} scram-sha-256")
    rules += [
        "host replication all 0.0.0.0/0 reject",
        f"host all {SUPERUSER},{REPLICATION_USER},{REWIND_USER} 0.0.0.0/0 reject",
        "host all all 0.0.0.0/0 scram-sha-256",
    ]
    return rules


def main():
    with open(SHARE + "/patroni.yml") as f:
        config = yaml.safe_load(f)
    config["postgresql"]["pg_hba"] = pg_hba()
    if os.environ.get("BACKUPS", "off") == "on":
        with open(SHARE + "/backups.yml") as f:
            merge(config, yaml.safe_load(f))
        request = restore_request()
        if request:
            print(f"patroni-config: restore requested: {request[0]} {request[1]}".rstrip(), file=sys.stderr)
            config["bootstrap"]["method"] = "pgbackrest_restore"
            config["bootstrap"]["pgbackrest_restore"] = restore_bootstrap(*request)
    print("# Written by /usr/local/share/patroni/patroni-config.py before each start: edit the files there")
    print("# (docker/patroni/patroni.yml and backups.yml in the repository), not this one.")
    yaml.safe_dump(config, sys.stdout, default_flow_style=False, sort_keys=False)


main()
