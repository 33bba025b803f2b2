// SPDX-License-Identifier: Apache-2.0
// The HELLO capability record (docs/protocol.md §5.1) as a 64-byte ROM indexed by payload
// byte, and the memory map (§6) as a table by memory id: depth, word bytes, access.

`default_nettype none
`include "loci_spec.vh"

module loci_link_caps #(
  parameter integer ClkHz = 24_000_000,
  parameter integer Baud = 3_000_000,
  parameter integer VirtualBoard = 0,
  parameter [31:0] BuildId = 32'd0,
  parameter integer Window = 32,
  parameter integer MaxPayload = 256,
  parameter integer InputBufferWords = 256,
  parameter integer OutputBufferWords = 512
) (
  // Capability record byte `caps_idx_i` (0..63).
  input  wire [5:0]  caps_idx_i,
  output reg  [7:0]  caps_byte_o,
  // Memory map entry of `mem_id_i`.
  input  wire [7:0]  mem_id_i,
  output reg         mem_known_o,
  output reg  [16:0] mem_depth_o,
  output reg  [2:0]  mem_word_bytes_o,
  output reg         mem_writable_o,
  // Words per DATA or WRITE frame: floor((MaxPayload - 8) / word bytes).
  output reg  [7:0]  mem_words_per_frame_o
);

  localparam integer N = `LOCI_NEURONS;
  localparam integer A = `LOCI_AXONS;
  localparam integer S = `LOCI_SYNAPSES;
  // Events one step may carry: a whole step's record must fit the input buffer.
  localparam integer MaxInputs = (InputBufferWords - 1 < A) ? InputBufferWords - 1 : A;

  // The record, little-endian fields at their protocol offsets.
  wire [511:0] caps = {
    128'd0,                                   // 48: reserved (16 bytes)
    BuildId,                                  // 44: buildId
    32'(ClkHz),                               // 40: clockHz
    32'(Baud),                                // 36: baud
    16'd0,                                    // 34: reserved
    16'(MaxInputs),                           // 32: maxInputsPerStep
    16'(OutputBufferWords),                   // 30: outputBufferWords
    16'(InputBufferWords),                    // 28: inputBufferWords
    8'(`LOCI_RING_W),                         // 27: ringBits
    8'(`LOCI_SYNAPSE_WORD_W),                 // 26: synapseWordBits
    8'(`LOCI_WEIGHT_W),                       // 25: weightBits
    8'(`LOCI_DELAY_SLOTS),                    // 24: delaySlots
    32'(`LOCI_MAX_FAN_IN),                    // 20: maxFanIn
    32'(S),                                   // 16: synapses
    32'(A),                                   // 12: axons
    32'(N),                                   //  8: neurons
    16'd0,                                    //  6: reserved
    8'((VirtualBoard != 0) ? 1 : 0),          //  5: flags (bit 0: virtual board)
    8'(Window),                               //  4: window
    16'(MaxPayload),                          //  2: maxPayload
    8'(`LOCI_CORE_SPEC_VERSION),              //  1: coreSpecVersion
    8'd1                                      //  0: protocolVersion
  };

  always @(*) caps_byte_o = caps[{caps_idx_i, 3'b000} +: 8];

  // Memory map (default capacity): id, depth, word bytes, writable.
  always @(*) begin
    mem_known_o = 1'b1;
    mem_writable_o = 1'b0;
    case (mem_id_i)
      8'd0:  begin mem_depth_o = 17'(N);      mem_word_bytes_o = 3'd4; mem_writable_o = 1'b1; end  // PARAMS
      8'd1:  begin mem_depth_o = 17'(S);      mem_word_bytes_o = 3'd4; mem_writable_o = 1'b1; end  // SYNAPSES
      8'd2:  begin mem_depth_o = 17'(A + N);  mem_word_bytes_o = 3'd4; mem_writable_o = 1'b1; end  // FANOUT_PTR
      8'd3:  begin mem_depth_o = 17'(N);      mem_word_bytes_o = 3'd4; mem_writable_o = 1'b1; end  // FANIN_PTR
      8'd4:  begin mem_depth_o = 17'(S);      mem_word_bytes_o = 3'd2; mem_writable_o = 1'b1; end  // FANIN_LIST
      8'd5:  begin mem_depth_o = 17'd6;       mem_word_bytes_o = 3'd4; mem_writable_o = 1'b1; end  // CONFIG
      8'd6:  begin mem_depth_o = 17'(N);      mem_word_bytes_o = 3'd6; end                         // STATE
      8'd7:  begin mem_depth_o = 17'(N * 16); mem_word_bytes_o = 3'd3; end                         // RING
      8'd8:  begin mem_depth_o = 17'(A);      mem_word_bytes_o = 3'd1; end                         // AXON_TRACE
      8'd9:  begin mem_depth_o = 17'd8;       mem_word_bytes_o = 3'd4; end                         // COUNTERS
      8'd10: begin mem_depth_o = 17'(S);      mem_word_bytes_o = 3'd1; end                         // WEIGHTS
      default: begin mem_known_o = 1'b0; mem_depth_o = 17'd0; mem_word_bytes_o = 3'd1; end
    endcase
    case (mem_word_bytes_o)
      3'd1: mem_words_per_frame_o = 8'((MaxPayload - 8) / 1);
      3'd2: mem_words_per_frame_o = 8'((MaxPayload - 8) / 2);
      3'd3: mem_words_per_frame_o = 8'((MaxPayload - 8) / 3);
      3'd4: mem_words_per_frame_o = 8'((MaxPayload - 8) / 4);
      default: mem_words_per_frame_o = 8'((MaxPayload - 8) / 6);
    endcase
  end

endmodule

`default_nettype wire
