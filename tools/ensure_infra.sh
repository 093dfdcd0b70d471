#!/usr/bin/env bash
# Install the production profile's servers from Debian's packages, once: PostgreSQL (tracker
# store and shop database), Redis (lock store) and nginx (load balancer). A no-op when present.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "Installation de ${missing[*]} (profil de production)…"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged services; the profile runs its own instances on its own ports.
for service in postgresql redis-server nginx; do
    $SUDO service "$service" stop >/dev/null 2>&1 || true
done
