#!/usr/bin/env bash
# What the tests need beyond the .NET SDK and NuGet: Debian's Chromium, in which the tokenlint HTML report test opens
# the report (about 50 s to install). Installs only what is missing; needs root (or sudo) and apt-get.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing and apt-get is not here: install a Chromium whose binary is 'chromium' on PATH." >&2
  exit 1
fi

echo "Installing Chromium for the HTML report test"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
