#!/usr/bin/env bash
# The system packages the course uses on Debian or Ubuntu (run as root):
#   rabbitmq-server   the broker for lessons 8–10 (the tests start a private one themselves)
#   python3-*         the real peers of the interop suite, for /usr/bin/python3
set -euo pipefail

packages=(
  rabbitmq-server
  python3-jsonrpclib-pelix
  python3-zmq
  python3-msgpack
  python3-oslo.messaging
  python3-grpcio
  python3-protobuf
  python3-pika
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

# Installing rabbitmq-server would start a system-wide broker; the course starts its own.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  made_policy=1
fi
trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
