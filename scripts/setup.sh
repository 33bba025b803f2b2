#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what Loci needs on a fresh machine: npm packages, and the system tools
# (Verilator, yosys, nextpnr-ice40, fpga-icestorm, iverilog, socat) with apt-get when missing.
# Without root it prints the exact command to run. Safe to run again: it only installs what is missing.
#
#   scripts/setup.sh            npm packages + hardware tools
#   scripts/setup.sh --bench    also the benchmark peers (python3-brian, python3-torch)
#   scripts/setup.sh --data     also Fashion-MNIST (dataset-fashion-mnist)
#   scripts/setup.sh --quiet    print only what it does
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0; want_bench=0; want_data=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --bench) want_bench=1 ;;
    --data) want_data=1 ;;
    -h|--help) sed -n '3,12p' "$0"; exit 0 ;;
    *) echo "setup: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done
say() { [ "$quiet" = 1 ] || echo "setup: $*"; }

# Node.js
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number);console.log(a>20||(a===20&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  echo "setup: Loci needs Node.js >= 20.19 (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "npm packages are up to date"
fi

# System tools: command -> Debian package.
declare -A pkg_of=(
  [verilator]=verilator [yosys]=yosys [nextpnr-ice40]=nextpnr-ice40 [icepack]=fpga-icestorm
  [iverilog]=iverilog [socat]=socat
)
missing=()
for cmd in "${!pkg_of[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing+=("${pkg_of[$cmd]}"); done
if [ "$want_bench" = 1 ]; then
  /usr/bin/python3 -c 'import brian2' >/dev/null 2>&1 || missing+=(python3-brian)
  /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
fi
if [ "$want_data" = 1 ] && [ ! -d /usr/share/datasets/fashion-mnist ]; then missing+=(dataset-fashion-mnist); fi

if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them as root, then run this again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "system tools present: verilator yosys nextpnr-ice40 icepack iverilog socat"
fi
