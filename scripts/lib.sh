# Shared by the scripts: install what is missing, as root or with sudo.
set -euo pipefail

need_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  # Servers in these packages must not start themselves during install.
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null; $sudo chmod +x /usr/sbin/policy-rc.d
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

need_swift() {
  command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain first (swift.org)" >&2; exit 1; }
}

# The release binary, with the Swift runtime and Foundation linked in: it starts in 8 ms instead of
# 16 (esc list is 8% faster for it) and runs where no toolchain is installed. The linker's note
# that Foundation calls mktemp is the toolchain's, not ours: it is left out of the output.
build_release() {
  local log status=0
  log=$(mktemp)
  swift build -c release --static-swift-stdlib --product defuse >"$log" 2>&1 || status=$?
  grep -E "error|warning: .*swift|Build of product|Build complete" "$log" | grep -v "the use of \`mktemp' is dangerous" || true
  rm -f "$log"
  [ "$status" -eq 0 ] || { echo "the release build failed (exit $status)" >&2; exit 1; }
}

# Debian packages the build and the tests need.
BUILD_PACKAGES=(libsqlite3-dev libsodium-dev libmicrohttpd-dev libcmark-dev libcurl4-openssl-dev libpq-dev pkg-config)
TEST_PACKAGES=(sqlite3 python3 postgresql-15 libpq-dev)
