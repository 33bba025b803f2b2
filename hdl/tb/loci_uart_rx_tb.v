// SPDX-License-Identifier: Apache-2.0
// Testbench of loci_uart_rx: random bytes at baud offsets of -3..+3 % with random phase,
// one-clock noise spikes at bit centres (majority sampling), glitch rejection, framing errors, a held-low break counted once, and recovery after it.

`default_nettype none
`timescale 1ns / 1ps

module loci_uart_rx_tb;
  localparam integer ClksPerBit = 8;
  localparam real    CLK_NS = 10.0;

  reg clk = 1'b0;
  reg rst_n = 1'b0;
  reg rx = 1'b1;
  wire [7:0] data;
  wire valid, frame_err;

  always #(CLK_NS / 2) clk = ~clk;

  loci_uart_rx #(.ClksPerBit(ClksPerBit)) u_dut (
    .clk_i(clk), .rst_ni(rst_n), .rx_i(rx),
    .data_o(data), .valid_o(valid), .frame_err_o(frame_err)
  );

  // Everything the DUT reports, in order.
  reg [7:0] got [0:4095];
  integer n_got = 0;
  integer n_err = 0;
  integer checks = 0;
  integer failures = 0;
  always @(posedge clk) begin
    if (valid) begin
      got[n_got] <= data;
      n_got <= n_got + 1;
    end
    if (frame_err) n_err <= n_err + 1;
    if (valid && frame_err) begin
      $display("TB FAIL: valid and frame_err in the same cycle");
      failures = failures + 1;
    end
  end

  task automatic check(input integer cond, input [8*64-1:0] what);
    begin
      checks = checks + 1;
      if (!cond) begin
        $display("TB FAIL: %0s", what);
        failures = failures + 1;
      end
    end
  endtask

  // Drive one 8N1 character with the given bit time (ns) and stop-bit level. With `spikes`,
  // every bit is inverted for one clock around its centre.
  task automatic send_noisy(input [7:0] b, input real bit_ns, input stop_level, input spikes);
    integer i;
    reg [9:0] bits;
    begin
      bits = {stop_level, b, 1'b0};
      for (i = 0; i < 10; i = i + 1) begin
        rx = bits[i];
        if (spikes) begin
          #(bit_ns / 2 - CLK_NS / 2);
          rx = !bits[i];
          #(CLK_NS);
          rx = bits[i];
          #(bit_ns / 2 - CLK_NS / 2);
        end else begin
          #(bit_ns);
        end
      end
      rx = 1'b1;
    end
  endtask
  task automatic send(input [7:0] b, input real bit_ns, input stop_level);
    send_noisy(b, bit_ns, stop_level, 1'b0);
  endtask

  reg [7:0] sent [0:4095];
  integer n_sent;
  integer k, j, seed, base;
  real bit_ns, offset;

  initial begin
    seed = 1;
    #(CLK_NS * 5.3);
    rst_n = 1'b1;
    #(CLK_NS * 40);
    check(n_got == 0 && n_err == 0, "idle line after reset produced output");

    // Random bytes, back to back, at baud offsets -3..+3 % and random sub-cycle phase.
    n_sent = 0;
    for (j = -3; j <= 3; j = j + 1) begin
      offset = 1.0 + j / 100.0;
      bit_ns = ClksPerBit * CLK_NS * offset;
      #($urandom(seed) % 97 / 10.0);
      for (k = 0; k < 200; k = k + 1) begin
        sent[n_sent] = $urandom(seed);
        send(sent[n_sent], bit_ns, 1'b1);
        n_sent = n_sent + 1;
      end
      #(bit_ns * 3);
    end
    #(CLK_NS * ClksPerBit * 4);
    check(n_got == n_sent, "random bytes: count differs");
    check(n_err == 0, "random bytes: unexpected framing error");
    for (k = 0; k < n_sent; k = k + 1) begin
      if (got[k] !== sent[k]) begin
        if (failures < 10) $display("TB FAIL: byte %0d got %02x want %02x", k, got[k], sent[k]);
        failures = failures + 1;
      end
    end
    checks = checks + n_sent;

    // One-clock spikes at every bit centre do not change a byte.
    base = n_got;
    bit_ns = ClksPerBit * CLK_NS;
    for (k = 0; k < 50; k = k + 1) begin
      sent[k] = $urandom(seed);
      send_noisy(sent[k], bit_ns, 1'b1, 1'b1);
    end
    #(bit_ns * 2);
    check(n_got == base + 50 && n_err == 0, "noisy bytes: count or framing error");
    for (k = 0; k < 50; k = k + 1) check(got[base + k] == sent[k], "noisy byte corrupted");

    // A glitch shorter than half a bit is not a start bit.
    base = n_got;
    rx = 1'b0;
    #(CLK_NS * (ClksPerBit / 2 - 2));
    rx = 1'b1;
    #(CLK_NS * ClksPerBit * 12);
    check(n_got == base && n_err == 0, "glitch was taken as a byte");

    // Low stop bit: a framing error and no byte; the next good byte is received.
    bit_ns = ClksPerBit * CLK_NS;
    send(8'h5a, bit_ns, 1'b0);
    #(bit_ns * 2);
    check(n_err == 1 && n_got == base, "low stop bit: want one framing error and no byte");
    send(8'ha5, bit_ns, 1'b1);
    #(bit_ns * 2);
    check(n_got == base + 1 && got[base] == 8'ha5, "byte after framing error not received");

    // A break (line held low for 5 characters) is one framing error, not a stream of zeros.
    rx = 1'b0;
    #(bit_ns * 50);
    rx = 1'b1;
    #(bit_ns * 3);
    check(n_err == 2 && n_got == base + 1, "break: want exactly one more framing error");
    send(8'h3c, bit_ns, 1'b1);
    #(bit_ns * 2);
    check(n_got == base + 2 && got[base + 1] == 8'h3c, "byte after break not received");

    if (failures == 0) $display("TB PASS loci_uart_rx checks=%0d bytes=%0d", checks, n_got);
    else $display("TB FAIL loci_uart_rx failures=%0d", failures);
    $finish;
  end

  initial begin
    #(CLK_NS * 2_000_000);
    $display("TB FAIL: timeout");
    $finish;
  end
endmodule

`default_nettype wire
