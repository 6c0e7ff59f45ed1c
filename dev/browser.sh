#!/usr/bin/env bash
# Headless Chromium + chromedriver for the browser tests of the hosted pages (Debian packages).
#   dev/browser.sh ensure     install chromium and chromium-driver when they are missing (root only)
# Browser tests skip with a clear message when the binaries are absent; CI makes sure they are not.
set -euo pipefail

ensure() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "chromium/chromedriver are missing: install them with 'sudo apt-get install -y chromium chromium-driver'" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
}

case "${1:-}" in
  ensure) ensure ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
