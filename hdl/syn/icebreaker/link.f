# SPDX-License-Identifier: Apache-2.0
# Sources of the link (UART, frames, command engine, event streams), relative to the
# repository root. Included by every board top's file list.
+incdir+hdl/rtl
hdl/rtl/loci_uart_rx.v
hdl/rtl/loci_uart_tx.v
hdl/rtl/loci_uart.v
hdl/rtl/loci_crc.v
hdl/rtl/loci_link_fifo.v
hdl/rtl/loci_frame_rx.v
hdl/rtl/loci_frame_tx.v
hdl/rtl/loci_link_in.v
hdl/rtl/loci_link_out.v
hdl/rtl/loci_link.v
