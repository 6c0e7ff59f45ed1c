#!/usr/bin/env bash
# PostgreSQL for development and CI, with the installed Debian binaries.
#   dev/postgres.sh ensure-binaries      install the Debian package when no server binaries exist
#   dev/postgres.sh start DIR PORT       initialise (once) and start a trust-auth cluster on 127.0.0.1:PORT
#   dev/postgres.sh stop DIR             stop that cluster
# PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' user.
set -euo pipefail

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [[ -n "${PG_BIN:-}" ]] && d="$PG_BIN"
  echo "$d"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_binaries() {
  if [[ -z "$(bindir)" ]]; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "PostgreSQL server binaries are missing: install them with 'sudo apt-get install -y postgresql'" >&2
      exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    # the package starts its own cluster on 5432; stop it and keep it from starting again
    if command -v pg_lsclusters >/dev/null; then
      pg_lsclusters -h | while read -r ver name _; do
        pg_ctlcluster "$ver" "$name" stop || true
        echo manual > "/etc/postgresql/$ver/$name/start.conf" || true
      done
    fi
  fi
}

start() {
  local dir=$1 port=$2 bin
  ensure_binaries
  bin=$(bindir)
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir" && chmod 700 "$dir"
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --no-locale >"$dir.initdb.log" 2>&1 \
      || { cat "$dir.initdb.log" >&2; exit 1; }
  fi
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k /tmp -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
}

stop() {
  local dir=$1
  [[ -f "$dir/postmaster.pid" ]] || return 0
  as_owner "$(bindir)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
}

case "${1:-}" in
  ensure-binaries) ensure_binaries ;;
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 ensure-binaries | start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
