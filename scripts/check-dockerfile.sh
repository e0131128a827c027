#!/usr/bin/env bash
# No Docker engine runs where windowguard is developed, so the Dockerfile is
# kept correct by construction and checked here against what CI really does:
#  - the build stage is Debian bookworm, installs with scripts/install-deps.sh
#    (the README's package list) and builds with scripts/build.sh (CI's build);
#  - the runtime stage installs, for every shared library the built binary
#    loads, the Debian package that provides it (tzdata too);
#  - it runs as a numeric non-root user, and its default command is the webhook.
# Usage: scripts/check-dockerfile.sh BINARY   (exit 1 with the reasons on a mismatch)
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-build/windowguard}"
dockerfile="${DOCKERFILE:-Dockerfile}"
problems=()

stage_of() {  # prints the lines of build stage N (1-based)
  awk -v n="$1" '/^FROM /{stage++} stage==n' "$dockerfile"
}
build_stage="$(stage_of 1)"
runtime_stage="$(stage_of 2)"

grep -qE '^FROM debian:bookworm( |$)' <<<"$build_stage" || problems+=("build stage is not FROM debian:bookworm")
grep -qE '^RUN .*scripts/install-deps.sh' <<<"$build_stage" || problems+=("build stage does not run scripts/install-deps.sh")
grep -qE '^RUN .*WINDOWGUARD_WERROR=ON scripts/build.sh' <<<"$build_stage" ||
  problems+=("build stage does not build with WINDOWGUARD_WERROR=ON scripts/build.sh, as .ci/run does")
grep -q 'WINDOWGUARD_WERROR=ON' .ci/run && grep -q 'scripts/test.sh' .ci/run || problems+=(".ci/run changed: re-check the build command")
grep -q 'scripts/build.sh' scripts/test.sh || problems+=("scripts/test.sh no longer builds with scripts/build.sh")
grep -qE '^FROM debian:bookworm-slim' <<<"$runtime_stage" || problems+=("runtime stage is not FROM debian:bookworm-slim")

runtime_packages="$(tr '\\\n' '  ' <<<"$runtime_stage" | grep -oE 'apt-get install[^&]*' | tr ' ' '\n' | grep -vE '^(apt-get|install|-y|--no-install-recommends|)$' | sort -u)"
grep -qx tzdata <<<"$runtime_packages" || problems+=("runtime stage does not install tzdata")
# In every bookworm-slim image already (Priority: required).
base_packages="libc6 libgcc-s1 libstdc++6 zlib1g libzstd1"
for library in $(ldd "$binary" | awk '/=>/ {print $3}'); do
  package="$(dpkg -S "$(readlink -f "$library")" 2>/dev/null | head -1 | cut -d: -f1)" || true
  [ -n "$package" ] || package="$(dpkg -S "$library" 2>/dev/null | head -1 | cut -d: -f1)" || true
  [ -n "$package" ] || { problems+=("no Debian package provides $library"); continue; }
  if ! grep -qx "$package" <<<"$runtime_packages" && ! grep -qw "$package" <<<"$base_packages"; then
    problems+=("runtime stage lacks $package (for $(basename "$library"))")
  fi
done

user="$(grep -E '^USER ' <<<"$runtime_stage" | tail -1 | awk '{print $2}')"
[[ "$user" =~ ^[0-9]+(:[0-9]+)?$ ]] || problems+=("USER is not numeric: '$user'")
[[ "${user%%:*}" != "0" ]] || problems+=("USER is root")
grep -qE '^ENTRYPOINT \["/usr/local/bin/windowguard"\]' <<<"$runtime_stage" || problems+=("ENTRYPOINT is not the windowguard binary")
grep -qE '^CMD \["serve"' <<<"$runtime_stage" || problems+=("default command is not serve")

if [ ${#problems[@]} -gt 0 ]; then
  printf 'Dockerfile: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "Dockerfile agrees with scripts/install-deps.sh, scripts/build.sh and the binary's libraries"
