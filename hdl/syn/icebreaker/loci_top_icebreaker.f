# SPDX-License-Identifier: Apache-2.0
# Sources of loci_top_icebreaker (the iCEBreaker build), relative to the repository root.
+incdir+hdl/rtl
-f hdl/syn/icebreaker/link.f
-f hdl/rtl/loci_core.f
hdl/rtl/loci_pll_ice40.v
hdl/rtl/loci_top_icebreaker.v
