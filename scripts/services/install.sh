#!/usr/bin/env bash
# Installs the servers the queue-mode e2e suite runs n8n on: PostgreSQL (n8n's database) and
# Redis (its job queue), from Debian's packages, when they are missing. Nothing is started
# here: each test starts its own servers on free loopback ports with data under its temp folder
# (harness/services/), so a system-wide service, if the packages start one, is never used.
#
#   scripts/services/install.sh          install what is missing (root or sudo), else return
#   scripts/services/install.sh --check  exit 1 if something is missing, install nothing
set -euo pipefail

log() { printf '[services:install] %s\n' "$*" >&2; }

# Debian keeps the PostgreSQL server binaries (initdb, postgres) off the PATH, per major version.
postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
have_postgres() { local bin; bin="$(postgres_bin)" && [[ -x "$bin/initdb" && -x "$bin/postgres" ]]; }
have_redis() { command -v redis-server >/dev/null; }

missing=()
have_postgres || missing+=(postgresql)
have_redis || missing+=(redis-server)
if ((${#missing[@]} == 0)); then
	log "up to date: PostgreSQL $("$(postgres_bin)/postgres" --version | awk '{print $3}'), Redis $(redis-server --version | sed -E 's/.* v=([^ ]+).*/\1/')"
	exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
	log "missing: ${missing[*]} (run scripts/services/install.sh)"
	exit 1
fi

if ((EUID == 0)); then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
	log "missing ${missing[*]}, and installing Debian packages needs root (or sudo)"
	exit 1
fi
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
"${as_root[@]}" apt-get update -qq
log "apt-get install ${missing[*]}"
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
have_postgres && have_redis || {
	log "installed ${missing[*]} but the servers are still not found"
	exit 1
}
log "done in $((SECONDS - started)) s: PostgreSQL in $(postgres_bin), $(command -v redis-server)"
