# gradwalk: the web server and REST API, with its pool of bubblewrap-jailed workers.
#
#   make image              # docker when an engine answers, else podman (the local base images made if missing)
#   podman run -d --name gradwalk -p 8000:8000 -v gradwalk-data:/data --init \
#     --cap-add SYS_ADMIN --cap-add NET_ADMIN gradwalk
#   docker run ... the same, plus --security-opt seccomp=unconfined --security-opt apparmor=unconfined
#
# docs/deploy.md explains every option (`make test-image` checks them), the single-user alternative, and
# several replicas on Kubernetes (deploy/kubernetes/).

# Debian bookworm, pinned: the plain `python:3.11-slim` tag moves with Debian's current stable release.
# bookworm's bubblewrap (0.8.0) already has the `--size` option the jail uses for its /tmp.
# Where no registry can be reached, `make image` builds both bases from Debian's packages with mmdebstrap
# and passes their names here (see deploy/image/build.sh); the rest of the file is the same either way.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# The front-end files the pages use, from npm as package-lock.json pins them (install scripts off): gradwalk
# serves them itself, never from a CDN.
FROM ${NODE_IMAGE} AS static
# Only for a build behind a TLS-inspecting proxy: a CA bundle that the build mounts (never stored in the image).
ARG NODE_EXTRA_CA_CERTS
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
    && npm run --silent vendor

FROM ${PYTHON_IMAGE}

# The CPU build of torch, pinned like the Makefile's `torch==2.13.0`: by default from PyTorch's CPU index.
# TORCH_FIND_LINKS names a folder of wheels instead (`make image` mounts the one pip's configuration names on
# this machine), with TORCH_INDEX_URL empty: the local version `+cpu` is then found only there, never on PyPI,
# so no CUDA build can be fetched either way.
ARG TORCH_VERSION=2.13.0+cpu
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG TORCH_FIND_LINKS=
# Only for a build behind a TLS-inspecting proxy: the CA bundle pip should trust (mounted, never stored).
ARG PIP_CERT

LABEL org.opencontainers.image.title="gradwalk" \
      org.opencontainers.image.description="See PyTorch autograd at work: run a snippet, get its forward and backward graphs." \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    GRADWALK_DATA_DIR=/data \
    GRADWALK_STATIC_DIR=/opt/gradwalk/static

# Graphviz draws the graphs, Liberation Sans (Arial's widths) and the CJK font render their labels in SVG and
# PNG, bubblewrap and libseccomp jail the workers, util-linux provides setpriv (already in the slim image: it
# is an essential package).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        graphviz fonts-liberation2 fonts-noto-cjk bubblewrap libseccomp2 util-linux \
    && rm -rf /var/lib/apt/lists/*

# A virtualenv at /opt/venv, laid out like the Makefile's .venv: the jail bind-mounts it read-only for the
# workers, next to /usr where Python itself lives (see jail_command in app/sandbox/pool.py). torch first,
# pinned: the project's own range (torch>=2.3) is then already met, so installing the project keeps this
# build and fetches no other.
RUN python -m venv /opt/venv \
    && pip install --upgrade pip \
    && pip install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} \
        ${TORCH_FIND_LINKS:+--find-links "$TORCH_FIND_LINKS"} "torch==${TORCH_VERSION}"

# The project itself, not editable, with the dependencies pyproject.toml names (from PyPI). .dockerignore
# keeps the context to what the image needs.
COPY pyproject.toml README.md /src/
COPY app /src/app
COPY gradwalk /src/gradwalk
COPY static /opt/gradwalk/static
COPY templates /opt/gradwalk/templates
COPY --from=static /build/static/vendor /opt/gradwalk/static/vendor
RUN pip install /src \
    && rm -rf /src \
    && python -c 'import sys, torch; v = torch.__version__; w = sys.argv[1]; sys.exit(0 if v.split("+")[0] == w.split("+")[0] and torch.version.cuda is None else f"pip replaced the pinned CPU build of torch {w} with {v} (CUDA {torch.version.cuda})")' "${TORCH_VERSION}" \
    && python -c "import app.main, app.store, psycopg" \
    && gradwalk schema > /dev/null \
    && bwrap --version && setpriv --version

# A non-root account that owns the data directory. It is the user for the single-user mode
# (`docker run --user gradwalk -e GRADWALK_SANDBOX=off -e GRADWALK_ALLOW_REMOTE_UNSANDBOXED=1 ...`, published on
# loopback); the default below stays root, see there.
RUN groupadd --gid 10001 gradwalk \
    && useradd --uid 10001 --gid gradwalk --no-create-home --home-dir /data --shell /usr/sbin/nologin gradwalk \
    && mkdir -p /data \
    && chown gradwalk:gradwalk /data
VOLUME ["/data"]
WORKDIR /data

# Why root: with GRADWALK_SANDBOX=on (the default) every worker runs as its own non-root uid
# (GRADWALK_SANDBOX_UID + n: 61000, 61001, ... by default) inside a bubblewrap jail, and setpriv drops it to
# that uid with no capabilities before Python starts. Switching to another uid needs root: check_isolation()
# in app/sandbox/pool.py refuses to start the server unless its euid is 0. So the server process (which never
# runs user code) is root inside the container; the snippets never are. The container then needs
# --cap-add SYS_ADMIN (namespaces, mounts) and --cap-add NET_ADMIN (bwrap brings up loopback in the jail's
# network namespace); with Docker also --security-opt seccomp=unconfined (Docker's default profile refuses
# pivot_root; podman's allows it) and apparmor=unconfined where AppArmor is active. /proc may stay masked: the
# jail makes no user namespace of its own. Without those options, run as
# `--user gradwalk -e GRADWALK_SANDBOX=off -e GRADWALK_ALLOW_REMOTE_UNSANDBOXED=1`: only for one person's own snippets.
USER root

EXPOSE 8000

# No curl in the slim image: Python's urllib asks /healthz, which answers 200 once the workers are up.
# The port is fixed here: keep 8000 inside the container and map it with -p.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

ENTRYPOINT ["gradwalk"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
