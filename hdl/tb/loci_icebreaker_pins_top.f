# SPDX-License-Identifier: Apache-2.0
# Sources of loci_icebreaker_pins_top (pins and PLL check of the iCEBreaker flow).
hdl/rtl/loci_pll_ice40.v
hdl/tb/loci_icebreaker_pins_top.v
