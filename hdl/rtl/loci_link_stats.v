// SPDX-License-Identifier: Apache-2.0
// The link's byte RAM (one EBR, 512 x 8): the HELLO capability record as initial contents, and
// the link's STATUS counters (rxFrames, crcErrors, frameErrors, garbageBytes, nacks: u32, in
// place), incremented byte-serially from pulses. Keeping them here instead of in flip-flops
// saves five 32-bit counters on the iCE40UP5K, where the core leaves the link little room.

`default_nettype none
`include "loci_spec.vh"

module loci_link_stats #(
  parameter integer ClkHz = 24_000_000,
  parameter integer Baud = 3_000_000,
  parameter integer VirtualBoard = 0,
  parameter [31:0] BuildId = 32'd0,
  parameter integer Window = 32,
  parameter integer MaxPayload = 256,
  parameter integer InputBufferWords = 256,
  parameter integer OutputBufferWords = 256
) (
  input  wire       clk_i,
  input  wire       rst_ni,
  // Events to count this clock (0..2 frames or frame errors at once; garbage bytes 1 or 2).
  input  wire [1:0] inc_rx_frames_i,
  input  wire       inc_crc_i,
  input  wire [1:0] inc_frame_err_i,
  input  wire       inc_nack_i,
  input  wire       inc_garbage_i,
  input  wire [1:0] inc_garbage_n_i,
  // Read port: byte `rd_addr_i` appears on rd_data_o the clock after rd_i. While lock_i is
  // high no counter is updated, so the 4 bytes of a counter read in a row are consistent.
  input  wire       rd_i,
  input  wire [6:0] rd_addr_i,
  output reg  [7:0] rd_data_o,
  input  wire       lock_i,
  // A counter update is in progress (wait before taking the lock for a multi-byte read).
  output wire       busy_o
);

  // Byte addresses: the capability record at 0..63, the counters at 64.. (4 bytes each,
  // little-endian, in STATUS order: rxFrames, crcErrors, frameErrors, garbageBytes, nacks).
  localparam [6:0] CNT_BASE = 7'd64;

  localparam integer A = `LOCI_AXONS;
  localparam integer MaxInputs = (InputBufferWords - 1 < A) ? InputBufferWords - 1 : A;
  // docs/protocol.md §5.1: little-endian fields at their byte offsets (the rest is reserved, 0).
  function automatic [511:0] caps_record(input integer unused);
    reg [511:0] r;
    begin
      r = 512'd0;
      r[8*0 +: 8]   = 8'd1;                              // protocolVersion
      r[8*1 +: 8]   = 8'(`LOCI_CORE_SPEC_VERSION);       // coreSpecVersion
      r[8*2 +: 16]  = 16'(MaxPayload);                   // maxPayload
      r[8*4 +: 8]   = 8'(Window);                        // window
      r[8*5 +: 8]   = (VirtualBoard != 0) ? 8'd1 : 8'd0; // flags: bit 0 virtual board
      r[8*8 +: 32]  = 32'(`LOCI_NEURONS);                // neurons
      r[8*12 +: 32] = 32'(`LOCI_AXONS);                  // axons
      r[8*16 +: 32] = 32'(`LOCI_SYNAPSES);               // synapses
      r[8*20 +: 32] = 32'(`LOCI_MAX_FAN_IN);             // maxFanIn
      r[8*24 +: 8]  = 8'(`LOCI_DELAY_SLOTS);             // delaySlots
      r[8*25 +: 8]  = 8'(`LOCI_WEIGHT_W);                // weightBits
      r[8*26 +: 8]  = 8'(`LOCI_SYNAPSE_WORD_W);          // synapseWordBits
      r[8*27 +: 8]  = 8'(`LOCI_RING_W);                  // ringBits
      r[8*28 +: 16] = 16'(InputBufferWords);             // inputBufferWords
      r[8*30 +: 16] = 16'(OutputBufferWords);            // outputBufferWords
      r[8*32 +: 16] = 16'(MaxInputs);                    // maxInputsPerStep
      r[8*36 +: 32] = 32'(Baud);                         // baud
      r[8*40 +: 32] = 32'(ClkHz);                        // clockHz
      r[8*44 +: 32] = BuildId;                           // buildId
      caps_record = r;
    end
  endfunction
  localparam [511:0] CAPS = caps_record(0);

  reg [7:0] mem [0:127];
  integer i;
  initial begin
    for (i = 0; i < 64; i = i + 1) mem[i] = CAPS[8*i +: 8];
    for (i = 64; i < 128; i = i + 1) mem[i] = 8'd0;
  end

  // Increments not yet applied, per counter (0 rxFrames .. 4 nacks). An update takes a few
  // clocks per byte; events come at most one per UART byte (80 clocks), so these stay small.
  reg [2:0] pend_q [0:4];
  // The counter being updated, its byte, the amount to add to that byte.
  reg busy_q;
  reg [2:0] cnt_q;
  reg [1:0] byte_q;
  reg [2:0] add_q;
  // Update phases: 0 read the byte, 1 the byte is on the read port: write it back.
  reg ph_q;

  wire [2:0] pick = (pend_q[0] != 0) ? 3'd0 : (pend_q[1] != 0) ? 3'd1 : (pend_q[2] != 0) ? 3'd2 :
                    (pend_q[3] != 0) ? 3'd3 : 3'd4;
  wire any_pending = (pend_q[0] | pend_q[1] | pend_q[2] | pend_q[3] | pend_q[4]) != 3'd0;
  wire [6:0] upd_addr = CNT_BASE + {2'd0, cnt_q, byte_q};
  wire [8:0] sum = {1'b0, rd_data_o} + {6'd0, add_q};

  assign busy_o = busy_q;

  // The RAM: one read port (the reader, or the update in phase 0), one write port.
  wire rd_any = rd_i || (busy_q && !ph_q && !lock_i);
  wire [6:0] raddr = rd_i ? rd_addr_i : upd_addr;
  wire we = busy_q && ph_q;
  always @(posedge clk_i) begin
    if (we) mem[upd_addr] <= sum[7:0];
    if (rd_any) rd_data_o <= mem[raddr];
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (i = 0; i < 5; i = i + 1) pend_q[i] <= 3'd0;
      busy_q <= 1'b0;
      cnt_q <= 3'd0;
      byte_q <= 2'd0;
      add_q <= 3'd0;
      ph_q <= 1'b0;
    end else begin
      // New events (never lost: an event on the counter being started is added to its pending
      // count after the start took the old count).
      pend_q[0] <= pend_q[0] + {1'b0, inc_rx_frames_i};
      if (inc_crc_i) pend_q[1] <= pend_q[1] + 1'b1;
      pend_q[2] <= pend_q[2] + {1'b0, inc_frame_err_i};
      if (inc_garbage_i) pend_q[3] <= pend_q[3] + {1'b0, inc_garbage_n_i};
      if (inc_nack_i) pend_q[4] <= pend_q[4] + 1'b1;
      if (!busy_q) begin
        if (any_pending && !lock_i && !rd_i) begin
          busy_q <= 1'b1;
          cnt_q <= pick;
          byte_q <= 2'd0;
          add_q <= pend_q[pick];
          ph_q <= 1'b0;
          // Take the whole pending count (plus any event arriving now stays pending).
          case (pick)
            3'd0: pend_q[0] <= {1'b0, inc_rx_frames_i};
            3'd1: pend_q[1] <= {2'd0, inc_crc_i};
            3'd2: pend_q[2] <= {1'b0, inc_frame_err_i};
            3'd3: pend_q[3] <= inc_garbage_i ? {1'b0, inc_garbage_n_i} : 3'd0;
            default: pend_q[4] <= {2'd0, inc_nack_i};
          endcase
        end
      end else if (!ph_q) begin
        // The byte is read this clock unless a reader holds the port.
        if (!lock_i && !rd_i) ph_q <= 1'b1;
      end else begin
        // Written back now; carry into the next byte, or done.
        ph_q <= 1'b0;
        if (sum[8] && byte_q != 2'd3) begin
          byte_q <= byte_q + 1'b1;
          add_q <= 3'd1;
        end else begin
          busy_q <= 1'b0;
        end
      end
    end
  end

endmodule

`default_nettype wire
