#!/usr/bin/env bash
# Starts PostgreSQL and RabbitMQ on this machine when they are not answering, and waits
# until both do. Used by .ci/run and `make run`; a no-op where both already run.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
rabbit_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if ! pg_up; then
  echo "PostgreSQL is not answering: starting it"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi
if ! rabbit_up; then
  echo "RabbitMQ is not answering: starting it"
  if command -v rabbitmq-server >/dev/null; then
    rabbitmq-server -detached || true
  fi
fi

for _ in $(seq 1 120); do
  if pg_up && rabbit_up; then
    exit 0
  fi
  sleep 1
done
pg_up || echo "PostgreSQL still not answering on 127.0.0.1:5432" >&2
rabbit_up || echo "RabbitMQ still not answering on 127.0.0.1:5672" >&2
exit 1
