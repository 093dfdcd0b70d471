#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/web), once: a no-op when it is there.
# The tests drive it through the Python `playwright` package with executable_path, so no
# browser is ever downloaded by Playwright itself.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

echo "Installation de Chromium pour les tests du navigateur…"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null
