// SPDX-License-Identifier: Apache-2.0
// Testbench of the core's arithmetic units, exhaustive against integer models written with
// division instead of shifts (a different algorithm from the RTL's):
//   loci_decay (16-bit, registered: every value and shift, and every value held), loci_trace_decay (every trace and shift),
//   loci_stdp_delta (every amplitude, trace and shift), loci_weight_clip (every weight and
//   clamped delta, both directions, several clip windows).

`default_nettype none
`timescale 1ns / 1ps

`include "loci_spec.vh"

module loci_arith_tb;
  integer checks = 0;
  integer failures = 0;

  // ---------------------------------------------------------------- loci_decay
  reg  signed [15:0] dx;
  reg         [3:0]  dk;
  reg                dh = 1'b0;
  wire signed [15:0] dy;
  reg                dclk = 1'b0;
  loci_decay #(.Width(16)) u_decay (.clk_i(dclk), .ce_i(1'b1), .x_i(dx), .shift_i(dk), .hold_i(dh), .decayed_o(dy));

  // sign(x) * ceil(|x| / 2^k), by division.
  function automatic integer decay_model(input integer x, input integer k);
    integer p, amount;
    begin
      p = 1 << k;
      if (k == 15) amount = 0;
      else if (x >= 0) amount = (x + p - 1) / p;
      // floor(x / 2^k) for negative x is -ceil(-x / 2^k).
      else amount = -((-x + p - 1) / p);
      decay_model = x - amount;
    end
  endfunction

  // ---------------------------------------------------------------- loci_trace_decay
  reg  [7:0] tx;
  reg  [3:0] tk;
  wire [7:0] ty;
  loci_trace_decay u_trace_decay (.clk_i(dclk), .ce_i(1'b1), .x_i(tx), .shift_i(tk), .decayed_o(ty));

  // ---------------------------------------------------------------- loci_stdp_delta
  reg  [7:0] sa, st;
  reg  [3:0] ss;
  wire [8:0] sd;
  loci_stdp_delta u_delta (.amplitude_i(sa), .trace_i(st), .shift_i(ss), .delta_o(sd));

  function automatic integer delta_model(input integer a, input integer x, input integer s);
    integer d;
    begin
      d = (a * x + (s > 0 ? (1 << (s - 1)) : 0)) / (1 << s);
      delta_model = d > 256 ? 256 : d;
    end
  endfunction

  // ---------------------------------------------------------------- loci_weight_clip
  reg  signed [7:0] cw, cmin, cmax;
  reg         [8:0] cd;
  reg               cpot;
  wire signed [7:0] cy;
  loci_weight_clip #(.DeltaW(9)) u_clip (
    .weight_i(cw), .delta_i(cd), .potentiate_i(cpot), .w_min_i(cmin), .w_max_i(cmax), .weight_o(cy)
  );

  function automatic integer clip_model(input integer w, input integer d, input integer pot, input integer lo, input integer hi);
    integer v;
    begin
      v = pot ? w + d : w - d;
      clip_model = v < lo ? lo : (v > hi ? hi : v);
    end
  endfunction

  integer x, k, a, w, d, p, win, want;
  integer lo [0:5];
  integer hi [0:5];
  initial begin
    lo[0] = -128; hi[0] = 127;
    lo[1] = -100; hi[1] = 100;
    lo[2] = 5;    hi[2] = 5;
    lo[3] = -128; hi[3] = -128;
    lo[4] = 127;  hi[4] = 127;
    lo[5] = -3;   hi[5] = 60;

    for (k = 0; k < 16; k = k + 1) begin
      for (x = -32768; x < 32768; x = x + 1) begin
        dx = x; dk = k; #1 dclk = 1'b1; #1 dclk = 1'b0;
        want = decay_model(x, k);
        checks = checks + 1;
        if (dy !== want) begin
          failures = failures + 1;
          if (failures < 10) $display("TB FAIL: loci_decay x=%0d k=%0d rtl=%0d model=%0d", x, k, dy, want);
        end
      end
      for (x = 0; x < 256; x = x + 1) begin
        tx = x; tk = k; #1 dclk = 1'b1; #1 dclk = 1'b0;
        want = decay_model(x, k);
        checks = checks + 1;
        if (ty !== want) begin
          failures = failures + 1;
          if (failures < 10) $display("TB FAIL: loci_trace_decay x=%0d k=%0d rtl=%0d model=%0d", x, k, ty, want);
        end
      end
    end

    // Held (a refractory membrane): the value passes unchanged whatever the shift.
    dh = 1'b1;
    for (x = -32768; x < 32768; x = x + 1) begin
      dx = x; dk = x[3:0]; #1 dclk = 1'b1; #1 dclk = 1'b0;
      checks = checks + 1;
      if (dy !== x) begin
        failures = failures + 1;
        if (failures < 10) $display("TB FAIL: loci_decay held x=%0d k=%0d rtl=%0d", x, dk, dy);
      end
    end
    dh = 1'b0;

    for (k = 0; k < 16; k = k + 1) begin
      for (a = 0; a < 256; a = a + 1) begin
        for (x = 0; x < 256; x = x + 1) begin
          sa = a; st = x; ss = k; #1;
          want = delta_model(a, x, k);
          checks = checks + 1;
          if (sd !== want) begin
            failures = failures + 1;
            if (failures < 10) $display("TB FAIL: loci_stdp_delta a=%0d x=%0d s=%0d rtl=%0d model=%0d", a, x, k, sd, want);
          end
        end
      end
    end

    for (win = 0; win < 6; win = win + 1) begin
      for (p = 0; p < 2; p = p + 1) begin
        for (w = -128; w < 128; w = w + 1) begin
          for (d = 0; d <= 256; d = d + 1) begin
            cw = w; cd = d; cpot = p; cmin = lo[win]; cmax = hi[win]; #1;
            want = clip_model(w, d, p, lo[win], hi[win]);
            checks = checks + 1;
            if (cy !== want) begin
              failures = failures + 1;
              if (failures < 10) $display("TB FAIL: loci_weight_clip w=%0d d=%0d pot=%0d [%0d,%0d] rtl=%0d model=%0d", w, d, p, lo[win], hi[win], cy, want);
            end
          end
        end
      end
    end

    if (failures == 0) $display("TB PASS loci_arith_tb checks=%0d", checks);
    else $display("TB FAIL loci_arith_tb failures=%0d checks=%0d", failures, checks);
    $finish;
  end
endmodule

`default_nettype wire
