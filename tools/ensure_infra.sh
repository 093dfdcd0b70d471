#!/usr/bin/env bash
# Install the production profile's servers from Debian's packages, once: PostgreSQL (tracker
# store and shop database), Redis (lock store) and nginx (load balancer). A no-op when present.
# Given names (postgresql, redis, nginx), only those: `make test` needs Redis alone, for the
# lock store's tests (tests/server/test_lock_store.py).
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(postgresql redis nginx)
missing=()
for name in "${wanted[@]}"; do
    case "$name" in
        postgresql) ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql) ;;
        redis) command -v redis-server >/dev/null 2>&1 || missing+=(redis-server) ;;
        nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light) ;;
        *) echo "ensure_infra.sh: unknown server $name" >&2; exit 2 ;;
    esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "Installation de ${missing[*]}…"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged services; the profile runs its own instances on its own ports.
for service in postgresql redis-server nginx; do
    $SUDO service "$service" stop >/dev/null 2>&1 || true
done
