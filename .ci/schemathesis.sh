#!/usr/bin/env bash
# Fuzz the whole API with schemathesis against a live server on PostgreSQL: a fresh database, migrations, the demo
# story, an editor's token for the writes, gunicorn on a free port. Every operation of the generated schema, all
# of schemathesis' default checks; any failure (a 5xx, a response that does not match the schema, ...) fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
DB=${SCHEMATHESIS_DB:-tracker_schemathesis}
PG=postgresql://postgres@127.0.0.1:5432
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-40}

psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null

# Tasks run in-process (no REDIS_URL); the throttle limits are raised so that the fuzzer measures the API, not the
# throttle (which has its own test). DEBUG off: errors must be the API's own answers, not debug pages.
unset REDIS_URL
export DATABASE_URL=$PG/$DB DEBUG=false SECRET_KEY=schemathesis-not-secret ALLOWED_HOSTS=127.0.0.1,localhost \
       STATIC_MANIFEST=false THROTTLE_ANON=1000000/minute THROTTLE_USER=1000000/minute

$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo >/dev/null
TOKEN=$($PY manage.py drf_create_token editor | awk '{print $3}')
# Real ids and quotes of the demo story for the fields whose rules are about data (see the script's docstring).
DJANGO_SETTINGS_MODULE=tracker.settings $PY .ci/schemathesis_data.py .ci/schemathesis.toml "$WORK/schemathesis.toml"

.venv/bin/gunicorn tracker.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile "$WORK/access.log" --error-logfile "$WORK/error.log" &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
$PY - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/schema/", timeout=5).read()
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("the server did not come up")
PY

# Arguments are passed on to schemathesis, e.g. `--include-path /api/v1/articles/ --include-method POST` to replay
# one operation. A new seed every run, so that CI keeps exploring; printed first and last, so that a failure can be replayed.
SEED=${SCHEMATHESIS_SEED:-$($PY -c 'import secrets; print(secrets.randbelow(2**31))')}
echo "schemathesis seed: $SEED (replay: SCHEMATHESIS_SEED=$SEED .ci/schemathesis.sh)"

status=0
# The hooks correct one false report of the fuzzer's (see .ci/schemathesis_hooks.py); they never excuse the API.
PYTHONPATH=.ci SCHEMATHESIS_HOOKS=schemathesis_hooks .venv/bin/schemathesis --config-file "$WORK/schemathesis.toml" run "http://127.0.0.1:$PORT/api/schema/" \
  --header "Authorization: Token $TOKEN" \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
  --request-timeout 30 --no-color --generation-database none \
  --report junit --report-junit-path "${SCHEMATHESIS_REPORT:-artifacts/schemathesis.xml}" "$@" || status=$?

# A 5xx the checks did not attribute (e.g. in a stateful step) still fails the run.
if grep -E '" 5[0-9]{2} ' "$WORK/access.log" >/dev/null; then
  echo "server errors during the run:" >&2
  grep -E '" 5[0-9]{2} ' "$WORK/access.log" | head -20 >&2
  tail -50 "$WORK/error.log" >&2
  status=1
fi
[ "$status" = 0 ] || echo "schemathesis failed with seed $SEED: replay with SCHEMATHESIS_SEED=$SEED .ci/schemathesis.sh" >&2
exit $status
