// SPDX-License-Identifier: Apache-2.0
// Included inside the link's testbench modules: counting checks, reporting the first failures,
// and the link's CRC (CRC-16/CCITT-FALSE, one bit at a time: a model independent of loci_crc).

integer checks = 0;
integer failures = 0;

task automatic fail(input [8*80-1:0] what);
  begin
    if (failures < 20) $display("TB FAIL: %0s (t=%0t)", what, $time);
    failures = failures + 1;
  end
endtask

function automatic [15:0] crc_byte(input [15:0] c_in, input [7:0] d);
  integer i;
  reg [15:0] c;
  begin
    c = c_in;
    for (i = 7; i >= 0; i = i - 1) c = {c[14:0], 1'b0} ^ ((c[15] ^ d[i]) ? 16'h1021 : 16'h0000);
    crc_byte = c;
  end
endfunction
