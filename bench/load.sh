#!/usr/bin/env bash
# Load test on loopback: gunicorn (2 workers) on PostgreSQL + Redis, wrk with 50 connections,
# each public page measured with the anonymous page cache off ("before") and on ("after").
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_load REDIS_URL=redis://127.0.0.1:6379/6 bench/load.sh
#
# Needs wrk (apt-get install wrk), PostgreSQL and Redis. Creates the database if missing, migrates,
# loads the demo content, collects static files into a temporary folder. Figures: docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database (created if missing)}"
: "${REDIS_URL:?set REDIS_URL (the page cache lives in Redis, shared by the gunicorn workers)}"
PORT="${PORT:-8110}"
WORKERS="${WORKERS:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
DURATION="${DURATION:-15s}"
PY=.venv/bin/python
BASE="http://127.0.0.1:${PORT}"
PAGES=("/" "/trials/" "/trials/?q=CAR-T" "/facilities/" "/api/facilities/?view=map")

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
STATIC_ROOT="$(mktemp -d)"
export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="load-test-$(date +%s)-not-a-real-secret-key-0123456789" \
       DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_STATIC_ROOT="$STATIC_ROOT" \
       DJANGO_LOG_LEVEL=WARNING CELERY_BROKER_URL="" AXES_ENABLED=0
createdb -h 127.0.0.1 -U postgres "${DATABASE_URL##*/}" 2>/dev/null || true
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo >/dev/null
$PY manage.py collectstatic --noinput -v0

GUNICORN_PID=""
stop() { [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null; GUNICORN_PID=""; }
trap 'stop; rm -rf "$STATIC_ROOT"' EXIT

serve() {  # $1: PAGE_CACHE_SECONDS (0 = page cache off)
  PAGE_CACHE_SECONDS="$1" .venv/bin/gunicorn platform_site.wsgi -w "$WORKERS" -b "127.0.0.1:${PORT}" \
    --log-level warning &
  GUNICORN_PID=$!
  for _ in $(seq 100); do curl -fs -o /dev/null "$BASE/healthz" && return; sleep 0.2; done
  echo "gunicorn did not start" >&2; exit 1
}

measure() {  # $1: label; prints one row per page
  for page in "${PAGES[@]}"; do
    curl -fs -o /dev/null "$BASE$page"  # warm: the first request renders and fills the cache
    out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$page")"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    errors="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
    socket="$(awk -F'Socket errors: ' '/Socket errors/ {print $2}' <<<"$out")"
    printf '| %-6s | %-28s | %9s | %8s | %s |\n' "$1" "$page" "$rps" "$p99" "${errors:-0} non-2xx${socket:+; $socket}"
  done
}

echo "| cache  | page                         | req/s     | p99      | errors |"
echo "|--------|------------------------------|-----------|----------|--------|"
serve 0;   measure before; stop
serve 600; measure after;  stop
