#!/bin/sh
# The image's entry point: `python -m $SERVICE [serve|migrate]`, exec'd so that the
# service is PID 1 and receives the SIGTERM of `docker stop` / Kubernetes directly.
set -eu
exec python -m "${SERVICE:?SERVICE is not set: build with --build-arg SERVICE=<service>}" "$@"
