#!/usr/bin/env bash
# The README's run command: installs dependencies, builds, validates the example
# policies in policies/ and lists their active and upcoming windows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/windowguard lint policies
build/windowguard windows --policies policies --days 14
