#!/usr/bin/env bash
# Fetches llama.cpp, Vireo's independent reference and performance peer, from the npm registry:
#   node-llama-cpp              its full source tree (as a git bundle): vocab GGUFs with reference
#                               tokenizations, chat templates, gguf-py, the C sources to build tools
#   @node-llama-cpp/linux-x64   prebuilt libllama / libggml for x86-64 Linux
# into .cache/llama.cpp/ (ignored by git). Idempotent: does nothing when already there.
# Usage: tools/llama-cpp/fetch.sh [DEST]      Needs npm and git.
set -euo pipefail
VERSION=3.22.1
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="${1:-$root/.cache/llama.cpp}"
if [ -f "$dest/.complete-$VERSION" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "fetch.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
rm -rf "$dest" && mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetching llama.cpp (node-llama-cpp@$VERSION) into $dest ..." >&2
(cd "$tmp" && npm pack --silent "node-llama-cpp@$VERSION" "@node-llama-cpp/linux-x64@$VERSION" >/dev/null)
mkdir -p "$tmp/src" "$tmp/libs"
tar xzf "$tmp/node-llama-cpp-$VERSION.tgz" -C "$tmp/src"
tar xzf "$tmp/node-llama-cpp-linux-x64-$VERSION.tgz" -C "$tmp/libs"
git clone -q "$tmp/src/package/llama/gitRelease.bundle" "$dest/src" 2>/dev/null
mv "$tmp/libs/package/bins/linux-x64" "$dest/lib"
echo "$VERSION" > "$dest/.complete-$VERSION"
echo "llama.cpp source: $dest/src, prebuilt libraries: $dest/lib" >&2
