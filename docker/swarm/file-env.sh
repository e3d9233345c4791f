#!/bin/sh
# Swarm secrets arrive as files (/run/secrets/<name>), the images read their settings from the
# environment: for every variable NAME_FILE set, this exports NAME with the file's content (the
# convention of the official postgres and redis images), then runs the command it was given.
# docker-stack.yml mounts it into every service that takes a secret, as a Swarm config, in front of
# the image's own entrypoint; the images themselves are unchanged.
set -eu
for name in $(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)_FILE=.*/\1/p'); do
    # API_KEYS_FILE is read by the API itself (a file of client:sha256 lines): leave it be.
    [ "$name" = API_KEYS ] && continue
    eval "file=\${${name}_FILE}"
    if [ ! -r "$file" ]; then
        echo "file-env: ${name}_FILE names $file, which cannot be read" >&2
        exit 64
    fi
    value=$(cat "$file")
    export "$name=$value"
    unset "${name}_FILE"
done
exec "$@"
