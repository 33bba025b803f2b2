#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Verilog lint: every module in hdl/rtl/ with `verilator --lint-only -Wall` as its own top
# (submodules found with -y), plus loci_ram_sp and loci_core with MemTarget "ice40" against
# the simulation models of the iCE40 primitives (hdl/lint/ice40/, the ones the virtual board
# runs). Waivers live only in hdl/lint/*.vlt, each scoped to a file and line or signal, each
# with its reason. Exit status 1 on any warning.
#
#   hdl/lint/lint.sh            lint everything
#   hdl/lint/lint.sh MODULE...  lint these modules only
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v verilator >/dev/null 2>&1; then
  echo "lint: verilator is not installed (run: npm run setup)" >&2
  exit 2
fi

waivers=()
for f in hdl/lint/*.vlt; do [ -e "$f" ] && waivers+=("$f"); done

lint() { # lint TOP [extra verilator args...]
  local top=$1; shift
  verilator --lint-only -Wall -Ihdl/rtl -y hdl/rtl -y hdl/lint/ice40 "${waivers[@]}" "$@" \
    --top-module "$top" "hdl/rtl/$top.v"
}

if [ "$#" -gt 0 ]; then
  modules=("$@")
else
  modules=()
  for f in hdl/rtl/*.v; do modules+=("$(basename "$f" .v)"); done
fi

fail=0
for m in "${modules[@]}"; do
  if ! out=$(lint "$m" 2>&1); then
    echo "lint: $m" >&2
    echo "$out" >&2
    fail=1
  fi
done
# The iCE40 memory mapping, against the primitives' simulation models.
for m in loci_ram_sp loci_core; do
  case " ${modules[*]} " in *" $m "*) ;; *) continue ;; esac
  if ! out=$(lint "$m" -GMemTarget='"ice40"' 2>&1); then
    echo "lint: $m (MemTarget ice40)" >&2
    echo "$out" >&2
    fail=1
  fi
done
if [ "$fail" -ne 0 ]; then exit 1; fi
echo "lint: ${#modules[@]} modules clean (verilator -Wall)"
