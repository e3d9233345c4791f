#!/bin/sh
# Builds the checker to $1 for `mvn verify` (pre-integration-test). Go may be on PATH or where the
# official tarball puts it; a machine with neither gets a message saying what to install, not a
# bare "Cannot run program".
set -eu
output=$1
go=$(command -v go || true)
[ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
if [ -z "$go" ]; then
  echo "[checker] no Go toolchain: the linearizability checker (checker/README.md) needs Go 1.19 or newer." >&2
  echo "[checker] Install it (Debian: apt-get install golang-go; or https://go.dev/dl into /usr/local/go)" >&2
  echo "[checker] and put it on PATH; .ci/run does this on a CI machine." >&2
  exit 1
fi
cd "$(dirname "$0")"
# The module cache comes from the Go module proxy on the first build; go.sum pins what it serves.
# The checker's own tests first (hand-made histories, illegal ones among them): a judge that passes
# everything would make every verdict of the spec worthless.
"$go" test -count=1 .
exec "$go" build -o "$output" .
