#!/usr/bin/env bash
# Runs one of the image tests (tests/image/container.py or kube.py) with podman set up as deploy/image/podman.sh
# sets it up (runc, the host's ulimits), with the machine's python3: `make test-image` runs both.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=deploy/image/podman.sh
. deploy/image/podman.sh
exec timeout --kill-after=30 "${TEST_TIMEOUT_S:-1500}" python3 -u "tests/image/$1.py" "${@:2}"
