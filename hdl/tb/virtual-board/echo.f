# SPDX-License-Identifier: Apache-2.0
# Sources of loci_echo_top (the virtual board's UART echo top), relative to the repository root.
+incdir+hdl/rtl
hdl/rtl/loci_uart_rx.v
hdl/rtl/loci_uart_tx.v
hdl/rtl/loci_uart.v
hdl/rtl/loci_link_fifo.v
hdl/tb/virtual-board/loci_echo_top.v
