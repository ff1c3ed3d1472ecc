#!/usr/bin/env bash
# The GitHub Action's install step: download kb's release binary for this runner, check it
# against its published SHA-256, and put it on the PATH of the steps that follow.
#   KB_VERSION      a release tag, or `latest`
#   KB_REPOSITORY   owner/name of kb's repository (the action's own)
#   KB_RELEASE_BASE where releases are (default: the repository's GitHub releases); a test
#                   points it at a folder with a locally built archive
set -euo pipefail

version="${KB_VERSION:-latest}"
base="${KB_RELEASE_BASE:-https://github.com/${KB_REPOSITORY:?KB_REPOSITORY is not set}/releases}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  MINGW* | MSYS* | CYGWIN*) target=x86_64-pc-windows-msvc ;;
  *)
    echo "::error::kb has no release binary for $(uname -s) $(uname -m)"
    exit 1
    ;;
esac

if [ "$version" = latest ]; then
  url="$base/latest/download"
else
  url="$base/download/$version"
fi
archive="kb-$target.tar.gz"
dest="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/kb-$version-$target"
mkdir -p "$dest"

fetch() {
  if ! curl --fail --silent --show-error --location --retry 3 --output "$dest/$1" "$url/$1"; then
    echo "::error::could not download $url/$1"
    exit 1
  fi
}
fetch "$archive"
fetch "$archive.sha256"

expected="$(cut -d ' ' -f 1 < "$dest/$archive.sha256")"
if command -v sha256sum > /dev/null; then
  actual="$(sha256sum "$dest/$archive" | cut -d ' ' -f 1)"
else
  actual="$(shasum -a 256 "$dest/$archive" | cut -d ' ' -f 1)"
fi
if [ "$expected" != "$actual" ]; then
  echo "::error::$archive does not match its published SHA-256 (expected $expected, got $actual)"
  exit 1
fi

tar -xzf "$dest/$archive" -C "$dest"
echo "$dest" >> "${GITHUB_PATH:?GITHUB_PATH is not set}"
"$dest/kb" --version
