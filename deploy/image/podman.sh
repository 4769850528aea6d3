# podman as this machine kind needs it; sourced (from the repository root, as root) by deploy/image/build.sh
# and the scripts in tests/image/. It writes /etc/containers/containers.conf.d/50-gradwalk.conf, so that plain
# `podman run` and `podman kube play` work on this host too, as docs/deploy.md shows them: runc as the runtime
# (crun fails on hosts with hybrid cgroups) and default ulimits at or below this host's hard limits (podman's
# own default asks for more open files than such a host allows, and every container then fails to start with
# "error setting rlimit type 7"). It also defines:
#   ULIMITS: the same ulimits as `--ulimit` options, for `podman build`;
#   BASE_PYTHON, BASE_NODE: the local base images, and base_images, which makes them when they are missing;
#   postgres_image, for tests/image/kube.py.

BASE_PYTHON=${BASE_PYTHON:-localhost/gradwalk-base/python:3.11-bookworm}
BASE_NODE=${BASE_NODE:-localhost/gradwalk-base/node:bookworm}

_limit() { # _limit OPTION CAP: this shell's hard limit for `ulimit OPTION`, at most CAP
    local value
    value=$(ulimit -H "$1")
    if [ "$value" = unlimited ] || [ "$value" -gt "$2" ]; then value=$2; fi
    echo "$value"
}
# podman itself runs conmon with at most 32768 processes: a container cannot be given more.
NOFILE=$(_limit -n 1048576)
NPROC=$(_limit -u 32768)
ULIMITS=(--ulimit "nofile=$NOFILE:$NOFILE" --ulimit "nproc=$NPROC:$NPROC")

PODMAN_CONF=${PODMAN_CONF:-/etc/containers/containers.conf.d/50-gradwalk.conf}
_conf=$(printf '# Written by gradwalk (deploy/image/podman.sh): what podman needs on this host.\n[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' \
    "$NOFILE" "$NOFILE" "$NPROC" "$NPROC")
if [ "$(cat "$PODMAN_CONF" 2>/dev/null)" != "$_conf" ]; then
    mkdir -p "$(dirname "$PODMAN_CONF")"
    printf '%s\n' "$_conf" > "$PODMAN_CONF"
    echo "== wrote $PODMAN_CONF: podman's runtime runc, default ulimits nofile=$NOFILE nproc=$NPROC" >&2
fi
unset CONTAINERS_CONF  # it would hide the file above

# The host's apt sources (Debian's mirror as this machine reaches it) go into the bases, so that the
# Dockerfile's apt-get reaches the same mirror. Valid-Until is not checked: the mirror may serve a snapshot.
_apt_sources() {
    local file
    for file in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
        if [ -f "$file" ] && grep -q -E '^(deb |URIs:)' "$file"; then echo "$file"; return; fi
    done
    echo http://deb.debian.org/debian
}

# _base NAME PACKAGES CHANGES...: a Debian bookworm root file system (minbase, no manuals, docs or
# translations, as in Debian's slim images) holding PACKAGES, imported as image NAME with the image settings
# CHANGES (an imported file system has no config: no PATH until one is set). Made again when the recipe
# changed (it is kept in a label).
_base() {
    local name=$1 packages=$2
    shift 2
    local sources recipe
    sources=$(_apt_sources)
    recipe=$(printf '%s\n' "$packages" "$@" "$(cat "$sources" 2>/dev/null || echo "$sources")" | sha256sum | cut -c1-16)
    if podman image exists "$name" \
        && [ "$(podman image inspect "$name" --format '{{index .Labels "org.gradwalk.base.recipe"}}')" = "$recipe" ] \
        && [ "${REBUILD_BASES:-0}" != 1 ]; then
        return
    fi
    echo "== making $name with mmdebstrap (bookworm, $packages)"
    local tarball
    tarball=$(mktemp "${TMPDIR:-/tmp}/gradwalk-base.XXXXXX.tar")
    # shellcheck disable=SC2064
    trap "rm -f '$tarball'" RETURN
    timeout --kill-after=30 1200 mmdebstrap --quiet --variant=minbase --include="$packages" --format=tar \
        --aptopt='Acquire::Check-Valid-Until "false"' \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
        bookworm "$tarball" "$sources"
    local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        --change 'ENV LANG=C.UTF-8' --change "LABEL org.gradwalk.base.recipe=$recipe")
    local change
    for change in "$@"; do changes+=(--change "$change"); done
    podman import --quiet "${changes[@]}" "$tarball" "$name" >/dev/null
}

# The two bases the Dockerfile names, from Debian's packages: Python 3.11 (bookworm's python3, with venv and
# the `python` command the official image has) and Node.js with npm (bookworm's: Node 18, npm 9, which
# install package-lock.json's files as Node 20 does).
base_images() {
    _base "$BASE_PYTHON" python3,python3-venv,python-is-python3,ca-certificates,netbase,tzdata 'CMD ["python3"]'
    _base "$BASE_NODE" nodejs,npm,ca-certificates 'CMD ["node"]'
}

# For tests/image/kube.py: a stand-in for the official postgres:15-bookworm image, from Debian's PostgreSQL 15
# (tests/image/postgres/), made when missing. Prints its name.
POSTGRES_IMAGE=${POSTGRES_IMAGE:-localhost/gradwalk-test/postgres:15-bookworm}
postgres_image() {
    local base=localhost/gradwalk-test/postgres-base:15-bookworm
    _base "$base" postgresql-15,ca-certificates,tzdata >&2
    podman build --quiet --pull=never "${ULIMITS[@]}" --build-arg "BASE=$base" -t "$POSTGRES_IMAGE" \
        tests/image/postgres >/dev/null
    podman image prune -f >/dev/null || true
    echo "$POSTGRES_IMAGE"
}
