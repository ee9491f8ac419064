#!/usr/bin/env bash
# Checks the Docker image's runtime stage without Docker: lays out in a temporary folder exactly what
# the Dockerfile's last stage copies (its COPY lines are read from the Dockerfile), installs the
# production dependencies as it does, starts the compiled server as its CMD does with
# NODE_ENV=production, and checks /healthz, /readyz, / (the built client), /api/v1/openapi.json and a
# clean exit on SIGTERM.
#
#   npm run build && bash scripts/check-image-layout.sh
#   NODE_BIN=/path/to/node24 bash scripts/check-image-layout.sh   # run the server on another Node
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
node_bin=${NODE_BIN:-node}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "check-image-layout: $*" >&2
  if [ -f "$work/server.log" ]; then tail -n 20 "$work/server.log" >&2; fi
  exit 1
}

[ -f "$root/dist/server/main.js" ] && [ -f "$root/client/dist/index.html" ] || fail 'build first: npm run build'

# The runtime stage: everything after the Dockerfile's last FROM.
stage=$(awk '/^FROM /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$root/Dockerfile")
app="$work/app"
mkdir -p "$app"
while read -r _ args; do
  if [[ $args == --from=build\ * ]]; then
    read -r _ from to <<<"$args"
    from=${from#/app/}
    mkdir -p "$(dirname "$app/$to")"
    cp -R "$root/$from" "$app/$to"
  else
    read -ra files <<<"$args"
    for file in "${files[@]:0:${#files[@]}-1}"; do cp -R "$root/$file" "$app/"; done
  fi
done < <(grep '^COPY ' <<<"$stage")
grep -q 'npm ci --omit=dev --ignore-scripts' <<<"$stage" || fail 'the runtime stage no longer runs npm ci --omit=dev --ignore-scripts'
cmd=$(grep '^CMD ' <<<"$stage" | sed 's/^CMD //')
echo "runtime stage copies: $(cd "$app" && find . -maxdepth 2 -mindepth 1 | sort | tr '\n' ' ')"

(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
for tool in tsx vite typescript drizzle-kit jest react; do
  [ ! -e "$app/node_modules/$tool" ] || fail "$tool is installed in the runtime stage"
done

# The CMD, a JSON array, with `node` replaced by $NODE_BIN.
mapfile -t argv < <(node -e 'for (const a of JSON.parse(process.argv[1]).slice(1)) console.log(a)' "$cmd")
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
secret=$(node -p 'require("crypto").randomBytes(32).toString("hex")')
key=$(node -p 'require("crypto").randomBytes(32).toString("hex")')
mkdir -p "$app/data"
(
  cd "$app"
  exec env -i PATH="$PATH" NODE_ENV=production PORT="$port" HOST=127.0.0.1 SEED_DEMO=false LOG_LEVEL=warn \
    SESSION_SECRET="$secret" DATA_KEY="$key" "$node_bin" "${argv[@]}"
) >"$work/server.log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  if curl -fs "$base/readyz" >/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || fail 'the server exited'
  sleep 0.5
done
curl -fs "$base/readyz" >/dev/null || fail '/readyz did not answer 200 within 60 s'
curl -fs "$base/healthz" | grep -q '"ok"' || fail '/healthz'
curl -fs "$base/" | grep -q '/assets/' || fail '/ is not the built client'
curl -fs "$base/api/v1/openapi.json" | grep -q '"openapi"' || fail '/api/v1/openapi.json'

kill -TERM "$server_pid"
code=0
wait "$server_pid" || code=$?
server_pid=
[ "$code" -eq 0 ] || fail "exit code $code after SIGTERM"
echo "check-image-layout: ok ($("$node_bin" --version)): /healthz, /readyz, /, /api/v1/openapi.json answered; exit 0 on SIGTERM"
