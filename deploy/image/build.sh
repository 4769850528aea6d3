#!/usr/bin/env bash
# Builds the gradwalk image from the repository's Dockerfile: `make image` runs this.
#
# With docker, when a Docker engine answers: a plain `docker build` from the official base images, torch from
# PyTorch's CPU index (the Dockerfile's defaults).
# Otherwise with podman, as root, for a machine that reaches no image registry: the two base images the
# Dockerfile starts from are made from Debian's packages with mmdebstrap when they are missing (local names,
# passed as build arguments), the build runs with the host's network, CA bundle and torch wheel folder, and
# podman is told to use runc and ulimits the host allows (deploy/image/podman.sh writes that containers.conf).
#
# Settings (environment): IMAGE (default gradwalk), ENGINE (docker or podman; default: docker when `docker
# info` answers), TORCH_WHEELS (a folder holding the CPU wheel of torch; default: the find-links folders of
# pip's configuration that hold it), REBUILD_BASES=1 to make the base images again.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE=${IMAGE:-gradwalk}
TORCH_VERSION=${TORCH_VERSION:-2.13.0+cpu}
SECONDS=0

engine=${ENGINE:-}
if [ -z "$engine" ]; then
    if command -v docker >/dev/null && timeout 20 docker info >/dev/null 2>&1; then engine=docker; else engine=podman; fi
fi

if [ "$engine" = docker ]; then
    echo "== docker build -t $IMAGE . (official base images, torch from PyTorch's CPU index)"
    docker build -t "$IMAGE" .
else
    if [ "$(id -u)" != 0 ]; then
        echo "podman builds and runs the image as root here (rootless podman is untried): run as root" >&2
        exit 2
    fi
    # shellcheck source=deploy/image/podman.sh
    . deploy/image/podman.sh
    base_images

    build_args=(--build-arg "PYTHON_IMAGE=$BASE_PYTHON" --build-arg "NODE_IMAGE=$BASE_NODE")
    mounts=()
    # The host's CA bundle: a TLS-inspecting proxy between this machine and the registries signs with a CA
    # that only the host's bundle holds. Mounted for the build's RUN steps only; the image keeps its own.
    if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
        mounts+=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
        build_args+=(--build-arg PIP_CERT=/etc/ssl/certs/ca-certificates.crt
            --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
    fi
    # The CPU build of torch from this machine's disk, where pip's own configuration says wheels lie.
    wheels=${TORCH_WHEELS:-}
    if [ -z "$wheels" ]; then
        for dir in $( (python3 -m pip config list 2>/dev/null || true) | sed -n "s/^[^=]*find-links='\(.*\)'$/\1/p"); do
            dir=${dir#file://}
            if compgen -G "$dir/torch-${TORCH_VERSION}-cp311-*.whl" >/dev/null; then wheels=$dir; break; fi
        done
    fi
    if [ -n "$wheels" ]; then
        echo "== torch $TORCH_VERSION from $wheels (mounted into the build)"
        mounts+=(-v "$wheels:/wheels:ro")
        build_args+=(--build-arg TORCH_FIND_LINKS=/wheels --build-arg TORCH_INDEX_URL=)
    else
        echo "== no local wheel of torch $TORCH_VERSION: PyTorch's CPU index (set TORCH_WHEELS to a folder)"
    fi
    build_args+=(--build-arg "TORCH_VERSION=$TORCH_VERSION")
    echo "== podman build -t $IMAGE ."
    # --format docker keeps the Dockerfile's HEALTHCHECK (OCI image configs have no such field).
    timeout --kill-after=60 "${BUILD_TIMEOUT_S:-3600}" \
        podman build --format docker --pull=never --network host "${ULIMITS[@]}" \
            "${mounts[@]}" "${build_args[@]}" -t "$IMAGE" .
    # Layers of earlier builds that no tag names any more.
    podman image prune -f >/dev/null || true
fi

size=$("$engine" image inspect "$IMAGE" --format '{{.Size}}')
echo "image $IMAGE built with $engine in $SECONDS s; size $((size / 1048576)) MiB ($size bytes)"
