#!/usr/bin/env bash
# Serve the demo: gunicorn (production-grade WSGI server, static files via WhiteNoise)
# and the background task worker, stopping both on Ctrl-C.
set -euo pipefail
PORT="${PORT:-8000}"
BIN=.venv/bin
export OSG_DEMO_MODE=1
"$BIN/gunicorn" config.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 --access-logfile - &
server=$!
"$BIN/python" manage.py db_worker &
worker=$!
trap 'kill "$server" "$worker" 2>/dev/null || true' INT TERM EXIT
echo "Open Safeguarding demo: http://127.0.0.1:${PORT}/  (Ctrl-C to stop)"
wait -n "$server" "$worker"
