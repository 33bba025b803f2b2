// SPDX-License-Identifier: Apache-2.0
// File list of loci_core (the neuromorphic core), relative to the repository root.
+incdir+hdl/rtl
hdl/rtl/loci_ram_1r1w.v
hdl/rtl/loci_ram_sp.v
hdl/rtl/loci_decay.v
hdl/rtl/loci_trace_decay.v
hdl/rtl/loci_stdp_delta.v
hdl/rtl/loci_weight_clip.v
hdl/rtl/loci_counter.v
hdl/rtl/loci_neuron_engine.v
hdl/rtl/loci_axon_trace_engine.v
hdl/rtl/loci_delivery_engine.v
hdl/rtl/loci_ltp_engine.v
hdl/rtl/loci_host_port.v
hdl/rtl/loci_core.v
