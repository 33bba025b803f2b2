# SPDX-License-Identifier: Apache-2.0
# Sources of the link-model virtual board: the iCEBreaker top with a stand-in core
# (core-model/loci_core.v, simulation only) instead of hdl/rtl/loci_core.f.
+incdir+hdl/rtl
-f hdl/syn/icebreaker/link.f
hdl/tb/virtual-board/core-model/loci_core.v
hdl/rtl/loci_pll_ice40.v
hdl/rtl/loci_top_icebreaker.v
