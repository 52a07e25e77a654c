#!/bin/bash
# A throwaway PostgreSQL cluster for tests and demos: no system service, no TCP.
#
#   scripts/pg-cluster.sh start DIR   initdb into DIR (when empty) and start a server on a Unix socket in DIR;
#                                     prints the database URL
#   scripts/pg-cluster.sh url DIR     prints the database URL of the cluster in DIR
#   scripts/pg-cluster.sh stop DIR    stops the server (the folder stays; remove it yourself)
#
# initdb refuses to run as root, and tests often do: as root the cluster belongs to a dedicated system user,
# `fileroom-test` (created when missing), and root reaches its socket all the same. Authentication is `trust` on the
# socket only: the socket lives in DIR, which only that user (and root) can enter.
set -euo pipefail
action="${1:-}"
dir="${2:-}"
if [ -z "$action" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop|url DIR" >&2
    exit 64
fi
database=fileroom_test
role=fileroom
port=5432

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir="$candidate"; break; fi
done
if [ -z "$bindir" ]; then
    echo "pg-cluster: PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 2
fi

owner="$(id -un)"
as_owner() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
    owner=fileroom-test
    if ! id -u "$owner" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$owner"
    fi
    as_owner() { runuser -u "$owner" -- "$@"; }
fi

url() {
    # The socket folder goes in ?host=; the URL has no host part, so nothing reaches for TCP.
    echo "postgresql://$role@/$database?host=$dir"
}

case "$action" in
start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        chown "$owner" "$dir"
        chmod 0700 "$dir"
        as_owner "$bindir/initdb" --pgdata="$dir/data" --username="$role" --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bindir/pg_ctl" --pgdata="$dir/data" status >/dev/null 2>&1; then
        # fsync off: the cluster is thrown away after the run, and the tests measure the store, not the disk.
        as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent \
            -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c max_connections=200" start \
            || { cat "$dir/server.log" >&2; exit 1; }
    fi
    if ! as_owner "$bindir/psql" -h "$dir" -p "$port" -U "$role" -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
        as_owner "$bindir/createdb" -h "$dir" -p "$port" -U "$role" "$database"
    fi
    url
    ;;
url)
    dir="$(cd "$dir" && pwd)"
    url
    ;;
stop)
    [ -d "$dir/data" ] || exit 0
    as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --wait --silent --mode=fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 64
    ;;
esac
