# SPDX-License-Identifier: Apache-2.0
# Sources of loci_link_model_top (the link in front of a core stand-in; simulation only).
-f hdl/syn/icebreaker/link.f
hdl/tb/virtual-board/loci_core_model.v
hdl/tb/virtual-board/loci_link_model_top.v
