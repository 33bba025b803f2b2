// SPDX-License-Identifier: Apache-2.0
// The link's command engine (docs/protocol.md): UART, frame receiver and transmitter, and the
// FSM that executes frames in order against the core (memories, run control, input and output
// event streams) and answers each with ACK, DATA or NACK. host/driver/board-model.ts is the
// reference behaviour. A frame is executed only after its CRC passed and only when every check
// passed: a refused frame changes nothing.

`default_nettype none
`include "loci_spec.vh"
`include "loci_core_map.vh"

module loci_link #(
  parameter integer ClkHz = 24_000_000,
  parameter integer Baud = 3_000_000,
  // HELLO.flags bit 0.
  parameter integer VirtualBoard = 0,
  parameter [31:0] BuildId = 32'd0,
  parameter integer Window = 32,
  // Inter-byte timeout in clocks (protocol: 2^18).
  parameter integer TimeoutClocks = 262144,
  // Input words buffered and output words retained (each 256 x 16 per EBR).
  parameter integer InputBufferWords = 256,
  parameter integer OutputBufferWords = 512,
  // Derived widths (do not override).
  parameter integer NeuronW = $clog2(`LOCI_NEURONS),
  parameter integer AxonW = $clog2(`LOCI_AXONS)
) (
  input  wire                           clk_i,
  input  wire                           rst_ni,
  input  wire                           uart_rx_i,
  output wire                           uart_tx_o,

  // ---- to loci_core (docs/core-spec.md §9): control.
  input  wire                           ctl_ready_i,
  output reg                            ctl_run_o,     // held until taken (ctl_ready_i)
  output reg  [31:0]                    ctl_steps_o,
  output reg                            ctl_reset_o,   // held until taken (ctl_ready_i)
  output reg                            ctl_abort_o,   // one clock
  input  wire                           busy_i,
  input  wire [31:0]                    step_counter_i,
  input  wire [31:0]                    steps_left_i,
  // ---- host memory port: one request at a time, each answered by mem_rvalid_i.
  output reg                            mem_valid_o,
  input  wire                           mem_ready_i,
  output reg  [1:0]                     mem_op_o,      // 0 read, 1 write, 2 check
  output reg  [`LOCI_MEM_ID_W-1:0]      mem_id_o,
  output reg  [`LOCI_MEM_ADDR_W-1:0]    mem_addr_o,
  output reg  [`LOCI_MEM_DATA_W-1:0]    mem_wdata_o,
  input  wire                           mem_rvalid_i,
  input  wire [`LOCI_MEM_STATUS_W-1:0]  mem_status_i,
  input  wire [`LOCI_MEM_DATA_W-1:0]    mem_rdata_i,
  // ---- input events to the core: axons of a step, then an end-of-step marker.
  output wire                           in_valid_o,
  input  wire                           in_ready_i,
  output wire                           in_eos_o,
  output wire [AxonW-1:0]               in_axon_o,
  // ---- recorded spikes from the core, and the end-of-step marker after every step.
  input  wire                           out_valid_i,
  output wire                           out_ready_o,
  input  wire                           out_eos_i,
  input  wire [NeuronW-1:0]             out_neuron_i,

  // Status for LEDs and the virtual board.
  output wire                           running_o,
  output wire                           nack_o,
  output wire                           idle_o
);

  // ------------------------------------------------------------------------------------------
  // Protocol constants.
  localparam [7:0] OP_HELLO = 8'h01, OP_STATUS = 8'h02, OP_RESET = 8'h03, OP_WRITE = 8'h04,
                   OP_READ = 8'h05, OP_RUN = 8'h06, OP_INPUT = 8'h07, OP_EVACK = 8'h08,
                   OP_ABORT = 8'h09;
  localparam [7:0] RSP_ACK = 8'h80, RSP_NACK = 8'h81, RSP_DATA = 8'h82, RSP_EVENTS = 8'h83;
  localparam [7:0] ST_CRC = 8'h01, ST_LENGTH = 8'h02, ST_TIMEOUT = 8'h03, ST_OVERFLOW = 8'h04,
                   ST_SEQUENCE = 8'h05, ST_OPCODE = 8'h10, ST_PAYLOAD = 8'h11, ST_MEMORY = 8'(`LOCI_STATUS_MEMORY),
                   ST_ADDRESS = 8'(`LOCI_STATUS_ADDRESS), ST_READ_ONLY = 8'(`LOCI_STATUS_READ_ONLY),
                   ST_BUSY = 8'(`LOCI_STATUS_BUSY), ST_IDLE = 8'h16, ST_RANGE = 8'(`LOCI_STATUS_RANGE),
                   ST_CREDIT = 8'h18;
  localparam [3:0] MEM_CONFIG = 4'(`LOCI_MEM_CONFIG), MEM_COUNTERS = 4'(`LOCI_MEM_COUNTERS);
  localparam [1:0] OP_RD = 2'd0, OP_WR = 2'd1, OP_CHECK = 2'd2;
  localparam integer A = `LOCI_AXONS;
  localparam integer MaxInputs = (InputBufferWords - 1 < A) ? InputBufferWords - 1 : A;
  // EVENTS: output words per frame, and the consumption change that forces a report.
  localparam integer EventsWords = (256 - 8) / 2;
  localparam integer CreditReport = InputBufferWords / 4;

  // ------------------------------------------------------------------------------------------
  // UART and frames.
  wire [7:0] rx_data;
  wire rx_valid, rx_frame_err_unused;
  wire [7:0] tx_data;
  wire tx_valid, tx_ready;
  loci_uart #(.ClkHz(ClkHz), .Baud(Baud)) u_uart (
    .clk_i(clk_i), .rst_ni(rst_ni), .rx_i(uart_rx_i), .tx_o(uart_tx_o),
    .rx_data_o(rx_data), .rx_valid_o(rx_valid), .rx_frame_err_o(rx_frame_err_unused),
    .tx_data_i(tx_data), .tx_valid_i(tx_valid), .tx_ready_o(tx_ready)
  );

  wire desc_valid;
  reg desc_pop;
  wire [1:0] desc_status;
  wire [7:0] desc_type, desc_seq;
  wire [8:0] desc_len;
  reg [7:0] buf_idx;
  wire [7:0] buf_byte;
  wire garbage, overflow, frx_busy, evack;
  wire [31:0] evack_received;
  wire evack_resend;
  wire [1:0] garbage_n;
  loci_frame_rx #(.MaxPayload(256), .TimeoutClocks(TimeoutClocks)) u_frx (
    .clk_i(clk_i), .rst_ni(rst_ni), .rx_data_i(rx_data), .rx_valid_i(rx_valid),
    .desc_valid_o(desc_valid), .desc_ready_i(desc_pop), .desc_status_o(desc_status),
    .desc_type_o(desc_type), .desc_seq_o(desc_seq), .desc_len_o(desc_len),
    .buf_idx_i(buf_idx), .buf_data_o(buf_byte),
    .evack_o(evack), .evack_received_o(evack_received), .evack_resend_o(evack_resend),
    .garbage_o(garbage), .garbage_n_o(garbage_n), .overflow_o(overflow), .busy_o(frx_busy)
  );

  reg tx_start;
  reg [7:0] tx_type, tx_seq;
  reg [8:0] tx_len;
  wire tx_busy;
  reg [7:0] pl_byte_q;
  reg pl_have_q;
  wire pl_ready;
  wire [8:0] pl_index;
  loci_frame_tx u_ftx (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(tx_start), .type_i(tx_type), .seq_i(tx_seq), .len_i(tx_len),
    .busy_o(tx_busy), .pl_data_i(pl_byte_q), .pl_valid_i(pl_have_q), .pl_ready_o(pl_ready),
    .pl_index_o(pl_index), .tx_data_o(tx_data), .tx_valid_o(tx_valid), .tx_ready_i(tx_ready)
  );

  // ------------------------------------------------------------------------------------------
  // Capability record and memory map.
  reg [7:0] map_id;
  wire map_known, map_writable;
  wire [16:0] map_depth;
  wire [2:0] map_wb;
  wire [7:0] map_per_frame;
  wire [7:0] caps_byte;
  loci_link_caps #(
    .ClkHz(ClkHz), .Baud(Baud), .VirtualBoard(VirtualBoard), .BuildId(BuildId), .Window(Window),
    .MaxPayload(256), .InputBufferWords(InputBufferWords), .OutputBufferWords(OutputBufferWords)
  ) u_caps (
    .caps_idx_i(pl_index[5:0]), .caps_byte_o(caps_byte),
    .mem_id_i(map_id), .mem_known_o(map_known), .mem_depth_o(map_depth), .mem_word_bytes_o(map_wb),
    .mem_writable_o(map_writable), .mem_words_per_frame_o(map_per_frame)
  );

  // ------------------------------------------------------------------------------------------
  // Event streams.
  reg in_clear, in_discard, in_abort, in_wvalid;
  reg [15:0] in_wdata;
  wire [15:0] in_buffered;
  wire [31:0] in_consumed;
  wire in_abort_done_unused, in_empty;
  loci_link_in #(.Depth(InputBufferWords), .AxonW(AxonW)) u_in (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(in_clear), .discard_i(in_discard), .abort_i(in_abort),
    .wdata_i(in_wdata), .wvalid_i(in_wvalid),
    .ev_valid_o(in_valid_o), .ev_eos_o(in_eos_o), .ev_axon_o(in_axon_o), .ev_pop_i(in_valid_o && in_ready_i),
    .buffered_o(in_buffered), .consumed_o(in_consumed), .abort_done_o(in_abort_done_unused), .empty_o(in_empty)
  );

  reg out_clear, out_flush, out_advance;
  // An EVENTS frame starts this clock.
  wire ev_start;
  reg [7:0] out_advance_n;
  localparam integer OutAW = $clog2(OutputBufferWords);
  reg [OutAW-1:0] out_rd_index;
  wire [15:0] out_rd_word;
  wire [31:0] out_written, out_sent, out_acked;
  wire out_flushed_unused, out_blocked;
  loci_link_out #(.Depth(OutputBufferWords), .NeuronW(NeuronW)) u_out (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(out_clear),
    .sp_valid_i(out_valid_i), .sp_eos_i(out_eos_i), .sp_neuron_i(out_neuron_i), .sp_ready_o(out_ready_o),
    .flush_i(out_flush), .flushed_o(out_flushed_unused),
    .ack_i(evack), .ack_received_i(evack_received), .ack_resend_i(evack_resend),
    .frame_start_i(ev_start), .advance_i(out_advance), .advance_n_i(out_advance_n),
    .rd_index_i(out_rd_index), .rd_word_o(out_rd_word),
    .written_o(out_written), .sent_o(out_sent), .acked_o(out_acked), .blocked_o(out_blocked)
  );

  // ------------------------------------------------------------------------------------------
  // Link state and counters (STATUS).

  // The sequence number the next executed frame must carry.
  reg [7:0] expected_q;
  // Clocks since power-up (the virtual board adds the idle clocks it skips).
  reg [63:0] uptime_q;
  reg [31:0] rx_frames_q, crc_errors_q, frame_errors_q, garbage_q, nacks_q;
  // A frame was dropped for want of a buffer; one NACK OVERFLOW is owed.
  reg overflow_owed_q;
  // Run state: a run is in progress; an ABORT is ending it.
  reg running_q, aborting_q;
  // Copies of the core's CONFIG registers (updated on every accepted CONFIG write; power-up
  // values as the core's): INPUT and RUN are validated against them.
  reg [NeuronW:0] cfg_num_neurons_q, cfg_record_base_q, cfg_record_count_q;
  reg [AxonW:0] cfg_num_axons_q;
  // A memory request was taken and its answer (mem_rvalid_i) is still due.
  reg mem_pending_q;
  // Input consumption last reported in an EVENTS frame; consumption of the previous run.
  reg [31:0] reported_consumed_q;
  // Input record parse state of the run (for validating INPUT frames across frames): axon
  // words still due in the current record, and steps the records cover.
  reg [15:0] rec_left_q;
  reg [31:0] steps_covered_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) uptime_q <= 64'd0;
    else uptime_q <= uptime_q + 1'b1;
  end


  // ------------------------------------------------------------------------------------------
  // Engine states. The engine executes frames; the sender (below) transmits. Short answers
  // (ACK without payload, NACK) go through a queue so that execution goes on while the
  // transmitter is busy (an EVENTS frame, an earlier answer); answers with a payload (HELLO,
  // STATUS, RUN, DATA) are handed to the sender after every queued answer, which keeps all
  // answers in the order of their frames.
  localparam [3:0] E_IDLE    = 4'd0,   // pick the next frame
                   E_HDR     = 4'd1,   // read up to 8 payload bytes
                   E_DECIDE  = 4'd2,   // sequence and command checks
                   E_WCHECK  = 4'd3,   // WRITE: validate every word
                   E_WCOMMIT = 4'd4,   // WRITE: write every word
                   E_ICHECK  = 4'd5,   // INPUT: validate every word
                   E_ICOMMIT = 4'd6,   // INPUT: buffer every word
                   E_PUSH    = 4'd7,   // queue a short answer
                   E_LONG    = 4'd8,   // an answer with payload is being sent
                   E_RESET   = 4'd9,   // waiting for the core to clear its state
                   E_ABORT   = 4'd10,  // waiting for the aborted run to end
                   E_READ    = 4'd11;  // set up the next DATA frame of a READ
  reg [3:0] state_q;

  // The descriptor at the head, unless its pop is already on its way.
  wire desc_here = desc_valid && !desc_pop;

  // Payload kinds.
  localparam [2:0] K_NACK = 3'd0, K_EMPTY = 3'd1, K_CAPS = 3'd2, K_STATUS = 3'd3, K_RUNACK = 3'd4,
                   K_DATA = 3'd5, K_EVENTS = 3'd6;

  // The short answer to queue (E_PUSH): NACK or empty ACK, SEQ, status, and the `expected`
  // its NACK payload carries (the board's E after that frame).
  reg push_nack_q;
  reg [7:0] push_seq_q, push_status_q, push_expected_q;

  // Short-answer queue: {nack, seq, status, expected}.
  localparam integer RQ = 4;
  reg [24:0] rq_mem [0:RQ-1];
  reg [2:0] rq_wr_q, rq_rd_q;
  wire rq_empty = (rq_wr_q == rq_rd_q);
  wire rq_full = (rq_wr_q[2] != rq_rd_q[2]) && (rq_wr_q[1:0] == rq_rd_q[1:0]);
  wire [24:0] rq_head = rq_mem[rq_rd_q[1:0]];

  // An answer with payload for the sender: kind, type, SEQ, LEN; long_req_q until it is sent.
  reg long_req_q;
  reg [2:0] long_kind_q;
  reg [7:0] long_type_q, long_seq_q;
  reg [8:0] long_len_q;

  // Request header: the first 8 payload bytes, zero beyond LEN.
  reg [63:0] hdr_q;
  wire [7:0] h_memory = hdr_q[7:0];
  wire [15:0] h_count = hdr_q[31:16];
  wire [31:0] h_addr = hdr_q[63:32];
  wire [31:0] h_u32 = hdr_q[31:0];

  // Payload byte reader over the frame buffer, three clocks a byte: set the index, the buffer
  // reads, take the byte. Words are assembled little-endian in asm_q.
  reg [1:0] rb_ph_q;
  reg [8:0] rd_pos_q;     // next payload byte to read
  reg [8:0] rd_end_q;     // read up to here (exclusive)
  reg [47:0] asm_q;
  reg [2:0] asm_b_q;      // bytes of the word assembled so far
  reg [2:0] asm_wb_q;     // bytes per word in this pass
  reg word_full_q;        // asm_q holds a complete word, not yet processed
  reg [15:0] word_i_q;    // words processed in this pass

  // Parse state of INPUT validation (committed only when the whole frame is valid).
  reg [15:0] v_rec_left_q;
  reg [31:0] v_steps_q;

  // READ stream: memory, address of the next DATA frame, words left, words in this frame.
  reg [3:0] rd_mem_q;
  reg [31:0] rd_addr_q;
  reg [16:0] rd_left_q;
  reg [7:0] rd_k_q;
  reg [2:0] rd_wb_q;
  reg data_more_q;        // after this DATA frame, another one follows
  // RUN answer: the step counter when the run started.
  reg [31:0] run_start_step_q;

  // Sender: the frame on the wire (kind, NACK payload), whether it is a long answer or EVENTS.
  reg snd_active_q;
  reg [2:0] snd_kind_q;
  reg [7:0] snd_status_q, snd_expected_q;
  reg snd_long_q, snd_events_q;
  // Payload pump (one byte ahead of the transmitter): latch of a multi-byte field or word,
  // the byte of it to send next, the word within the frame, outstanding word reads.
  reg [63:0] lat_q;
  reg [2:0] lat_b_q;
  reg [7:0] pw_word_q;
  reg src_wait_q;         // a word read is outstanding (memory port or output buffer)
  reg src_wait2_q;        // ... for two clocks: the output buffer's word is on out_rd_word
  // EVENTS frame snapshot: offset, consumption and word count.
  reg [31:0] ev_offset_q, ev_consumed_q;
  reg [7:0] ev_n_q;

  // ------------------------------------------------------------------------------------------
  // Checks of the request (E_DECIDE) against the memory map.
  // The request's memory (a READ keeps its header until its last DATA frame is set up).
  always @(*) map_id = h_memory;

  wire [32:0] acc_end = {1'b0, h_addr} + {17'd0, h_count};
  wire acc_addr_bad = (h_count == 16'd0) || (acc_end > {16'd0, map_depth});
  // count x word bytes (LEN of a WRITE must be 8 + this).
  reg [18:0] acc_bytes;
  always @(*) begin
    case (map_wb)
      3'd1: acc_bytes = {3'd0, h_count};
      3'd2: acc_bytes = {2'd0, h_count, 1'b0};
      3'd3: acc_bytes = {2'd0, h_count, 1'b0} + {3'd0, h_count};
      3'd4: acc_bytes = {1'd0, h_count, 2'b0};
      default: acc_bytes = {1'd0, h_count, 2'b0} + {2'd0, h_count, 1'b0};
    endcase
  end

  localparam [3:0] D_NACK = 4'd0, D_CAPS = 4'd1, D_STATUS = 4'd2, D_RESET = 4'd3, D_WRITE = 4'd4,
                   D_READ = 4'd5, D_RUN = 4'd6, D_INPUT = 4'd7, D_ABORT = 4'd8, D_EVACK = 4'd9;
  reg [3:0] d_action;
  reg [7:0] d_status;
  reg d_exec;  // in sequence: `expected` advances
  always @(*) begin
    d_action = D_NACK;
    d_status = 8'd0;
    d_exec = 1'b0;
    if (desc_type == OP_HELLO) begin
      d_action = D_CAPS;
    end else if (desc_type == OP_EVACK) begin
      d_action = D_EVACK;
    end else if (desc_seq != expected_q) begin
      d_status = ST_SEQUENCE;
    end else begin
      d_exec = 1'b1;
      case (desc_type)
        OP_STATUS: if (desc_len != 9'd0) d_status = ST_PAYLOAD; else d_action = D_STATUS;
        OP_RESET: begin
          if (desc_len != 9'd0) d_status = ST_PAYLOAD;
          else if (running_q) d_status = ST_BUSY;
          else d_action = D_RESET;
        end
        OP_WRITE: begin
          if (desc_len < 9'd8) d_status = ST_PAYLOAD;
          else if (!map_known) d_status = ST_MEMORY;
          else if (acc_addr_bad) d_status = ST_ADDRESS;
          else if ({10'd0, desc_len} != acc_bytes + 19'd8) d_status = ST_PAYLOAD;
          else if (!map_writable) d_status = ST_READ_ONLY;
          else if (running_q) d_status = ST_BUSY;
          else d_action = D_WRITE;
        end
        OP_READ: begin
          if (desc_len < 9'd8) d_status = ST_PAYLOAD;
          else if (!map_known) d_status = ST_MEMORY;
          else if (acc_addr_bad) d_status = ST_ADDRESS;
          else if (desc_len != 9'd8) d_status = ST_PAYLOAD;
          else if (running_q && h_memory[3:0] != MEM_COUNTERS) d_status = ST_BUSY;
          else d_action = D_READ;
        end
        OP_RUN: begin
          if (desc_len != 9'd4) d_status = ST_PAYLOAD;
          else if (running_q) d_status = ST_BUSY;
          else if (h_u32 == 32'd0 || h_u32[31]) d_status = ST_RANGE;
          else if ({1'b0, cfg_record_base_q} + {1'b0, cfg_record_count_q} > {1'b0, cfg_num_neurons_q}) d_status = ST_RANGE;
          // A step's whole record must fit the output buffer, or the core could never finish it.
          else if (32'(cfg_record_count_q) + 32'd3 > 32'(OutputBufferWords)) d_status = ST_RANGE;
          else d_action = D_RUN;
        end
        OP_INPUT: begin
          if (desc_len < 9'd2 || desc_len[0]) d_status = ST_PAYLOAD;
          else if (!running_q || aborting_q) d_status = ST_IDLE;
          else if (in_buffered + {8'd0, desc_len[8:1]} > 16'(InputBufferWords)) d_status = ST_CREDIT;
          else d_action = D_INPUT;
        end
        OP_ABORT: if (desc_len != 9'd0) d_status = ST_PAYLOAD; else d_action = D_ABORT;
        default: d_status = ST_OPCODE;
      endcase
    end
  end

  // ------------------------------------------------------------------------------------------
  // Address of the WRITE word being checked or written (h_addr < depth <= 2^16 once checked);
  // the core checks each word's value (mem_op check) before any is written.
  wire [15:0] w_addr_now = h_addr[15:0] + word_i_q;

  // One INPUT word against the parse state: bad, and the state after it (docs/protocol.md §7.1).
  reg i_word_bad;
  reg [15:0] i_rec_left_next;
  reg [31:0] i_steps_next;
  wire [15:0] i_word = asm_q[15:0];
  always @(*) begin
    i_word_bad = 1'b0;
    i_rec_left_next = v_rec_left_q;
    i_steps_next = v_steps_q;
    if (v_rec_left_q != 16'd0) begin
      // An axon of the record: below numAxons.
      if (32'(i_word) >= 32'(cfg_num_axons_q)) i_word_bad = 1'b1;
      i_rec_left_next = v_rec_left_q - 1'b1;
    end else if (i_word[15]) begin
      // k quiet steps, k >= 1, within the run.
      i_steps_next = v_steps_q + {17'd0, i_word[14:0]};
      if (i_word[14:0] == 15'd0 || i_steps_next > ctl_steps_o) i_word_bad = 1'b1;
    end else begin
      // A record of n events: n <= maxInputsPerStep and <= numAxons, within the run.
      i_steps_next = v_steps_q + 1'b1;
      if (32'(i_word) > 32'(MaxInputs) || 32'(i_word) > 32'(cfg_num_axons_q) || i_steps_next > ctl_steps_o) i_word_bad = 1'b1;
      i_rec_left_next = i_word;
    end
  end

  // ------------------------------------------------------------------------------------------
  // STATUS fields, latched when a field's first byte is due so that no field tears.
  reg [63:0] status_field;
  always @(*) begin
    case (pl_index[5:2])
      4'd0: status_field = {48'd0, expected_q, 6'd0, aborting_q, running_q && !aborting_q};
      4'd1: status_field = {32'd0, running_q ? steps_left_i : 32'd0};
      4'd2: status_field = {32'd0, step_counter_i};
      4'd3: status_field = {32'd0, in_consumed};
      4'd4: status_field = {32'd0, out_written};
      4'd5: status_field = {32'd0, out_acked};
      4'd6: status_field = uptime_q;               // bytes 24..31
      4'd8: status_field = {32'd0, rx_frames_q};
      4'd9: status_field = {32'd0, crc_errors_q};
      4'd10: status_field = {32'd0, frame_errors_q};
      4'd11: status_field = {32'd0, garbage_q};
      4'd12: status_field = {32'd0, nacks_q};
      default: status_field = 64'd0;
    endcase
  end

  // EVENTS due (docs/protocol.md §7.4): a full frame of unsent words; or unsent words or an
  // unreported consumption while the core waits (for input, for room) or no run is going; or
  // consumption grew by a quarter of the input buffer since the last report.
  wire [31:0] unsent = out_written - out_sent;
  wire [7:0] ev_take = (unsent > 32'(EventsWords)) ? 8'(EventsWords) : unsent[7:0];
  wire consumed_changed = (in_consumed != reported_consumed_q);
  wire core_waiting = !running_q || in_empty || out_blocked;
  wire events_due = (unsent >= 32'(EventsWords)) ||
                    ((unsent != 32'd0 || consumed_changed) && core_waiting) ||
                    (in_consumed - reported_consumed_q >= 32'(CreditReport));

  // ------------------------------------------------------------------------------------------
  // Payload pump: the byte at pl_index of the frame being sent, when it can be had this clock.
  reg [7:0] pump_byte;
  reg pump_ready;     // pump_byte is valid
  reg pump_load;      // lat_q takes pump_lat (a new field or word)
  reg [63:0] pump_lat;
  reg pump_fetch;     // start reading the next word (memory port or output buffer)
  always @(*) begin
    pump_byte = 8'd0;
    pump_ready = 1'b0;
    pump_load = 1'b0;
    pump_lat = 64'd0;
    pump_fetch = 1'b0;
    case (snd_kind_q)
      K_NACK: begin
        pump_ready = 1'b1;
        pump_byte = pl_index[0] ? snd_expected_q : snd_status_q;
      end
      K_CAPS: begin
        pump_ready = 1'b1;
        pump_byte = caps_byte;
      end
      K_RUNACK: begin
        pump_ready = 1'b1;
        pump_byte = run_start_step_q[{pl_index[1:0], 3'b000} +: 8];
      end
      K_STATUS: begin
        pump_ready = 1'b1;
        // A new field every 4 bytes, except inside the 8-byte uptime (bytes 24..31).
        if (pl_index[1:0] == 2'd0 && pl_index[5:2] != 4'd7) begin
          pump_load = 1'b1;
          pump_lat = status_field;
          pump_byte = status_field[7:0];
        end else if (pl_index[5:3] == 3'd3) begin
          pump_byte = lat_q[{pl_index[2:0], 3'b000} +: 8];
        end else begin
          pump_byte = lat_q[{1'b0, pl_index[1:0], 3'b000} +: 8];
        end
      end
      K_DATA: begin
        if (pl_index < 9'd8) begin
          // Access header: memory, 0, count (u16), addr (u32).
          pump_ready = 1'b1;
          case (pl_index[2:0])
            3'd0: pump_byte = {4'd0, rd_mem_q};
            3'd2: pump_byte = rd_k_q;
            3'd4, 3'd5, 3'd6, 3'd7: pump_byte = rd_addr_q[{pl_index[1:0], 3'b000} +: 8];
            default: pump_byte = 8'd0;
          endcase
        end else if (lat_b_q != 3'd0) begin
          pump_ready = 1'b1;
          pump_byte = lat_q[{lat_b_q, 3'b000} +: 8];
        end else if (src_wait_q) begin
          if (mem_rvalid_i) begin
            pump_ready = 1'b1;
            pump_load = 1'b1;
            pump_lat = {16'd0, mem_rdata_i};
            pump_byte = mem_rdata_i[7:0];
          end
        end else begin
          pump_fetch = 1'b1;
        end
      end
      K_EVENTS: begin
        if (pl_index < 9'd8) begin
          pump_ready = 1'b1;
          pump_byte = pl_index[2] ? ev_consumed_q[{pl_index[1:0], 3'b000} +: 8]
                                  : ev_offset_q[{pl_index[1:0], 3'b000} +: 8];
        end else if (lat_b_q != 3'd0) begin
          pump_ready = 1'b1;
          pump_byte = lat_q[15:8];
        end else if (src_wait2_q) begin
          // The index was registered one clock after the fetch and read the clock after.
          pump_ready = 1'b1;
          pump_load = 1'b1;
          pump_lat = {48'd0, out_rd_word};
          pump_byte = out_rd_word[7:0];
        end else if (!src_wait_q) begin
          pump_fetch = 1'b1;
        end
      end
      default: pump_ready = 1'b0;
    endcase
  end
  // Bytes per word of the words a frame carries (after its 8-byte header).
  wire [2:0] pump_wb = (snd_kind_q == K_EVENTS) ? 3'd2 : rd_wb_q;

  // ------------------------------------------------------------------------------------------
  assign running_o = running_q;
  assign nack_o = tx_start && tx_type == RSP_NACK;
  // Nothing in flight and nothing due: every register but uptime_q holds while this is high.
  assign idle_o = (state_q == E_IDLE) && !desc_valid && !desc_pop && !frx_busy && !tx_busy && !tx_start &&
                  !snd_active_q && rq_empty && !long_req_q && !running_q && !overflow_owed_q && !events_due &&
                  !busy_i && !mem_valid_o && !mem_pending_q && !ctl_run_o && !ctl_reset_o && !out_valid_i;
  // The memory port is in use (a request offered or an answer due).
  wire mem_busy = mem_valid_o || mem_pending_q;

  wire rd_want = (rb_ph_q == 2'd0) && (rd_pos_q < rd_end_q) && !word_full_q &&
                 (state_q == E_HDR || state_q == E_WCHECK || state_q == E_WCOMMIT ||
                  state_q == E_ICHECK || state_q == E_ICOMMIT);
  wire rd_idle = (rb_ph_q == 2'd0) && !(rd_pos_q < rd_end_q) && !word_full_q;
  // E_IDLE takes a good frame this clock (the branch order of E_IDLE below).
  wire run_over = running_q && !ctl_run_o && !busy_i && !out_valid_i;
  wire take_good = (state_q == E_IDLE) && !run_over && !(overflow_owed_q && !overflow) && desc_here &&
                   (desc_status == 2'd0);
  // The sender may start a frame.
  wire snd_free = !snd_active_q && !tx_busy && !tx_start;
  assign ev_start = snd_free && rq_empty && !long_req_q && events_due;

  // Shorthand for the engine: queue a short answer and go to E_PUSH.
  task automatic answer(input nack, input [7:0] seq, input [7:0] status, input [7:0] expected);
    begin
      push_nack_q <= nack;
      push_seq_q <= seq;
      push_status_q <= status;
      push_expected_q <= expected;
      state_q <= E_PUSH;
    end
  endtask
  // ... or hand an answer with payload to the sender and wait in E_LONG.
  task automatic answer_long(input [2:0] kind, input [7:0] rtype, input [7:0] seq, input [8:0] len);
    begin
      long_req_q <= 1'b1;
      long_kind_q <= kind;
      long_type_q <= rtype;
      long_seq_q <= seq;
      long_len_q <= len;
      state_q <= E_LONG;
    end
  endtask

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= E_IDLE;
      expected_q <= 8'd0;
      rx_frames_q <= 32'd0;
      crc_errors_q <= 32'd0;
      frame_errors_q <= 32'd0;
      garbage_q <= 32'd0;
      nacks_q <= 32'd0;
      overflow_owed_q <= 1'b0;
      running_q <= 1'b0;
      aborting_q <= 1'b0;
      cfg_num_neurons_q <= (NeuronW + 1)'(`LOCI_CONFIG_NUM_NEURONS_POWER_UP);
      cfg_num_axons_q <= (AxonW + 1)'(`LOCI_CONFIG_NUM_AXONS_POWER_UP);
      cfg_record_base_q <= (NeuronW + 1)'(`LOCI_CONFIG_RECORD_BASE_POWER_UP);
      cfg_record_count_q <= (NeuronW + 1)'(`LOCI_CONFIG_RECORD_COUNT_POWER_UP);
      mem_pending_q <= 1'b0;
      reported_consumed_q <= 32'd0;
      rec_left_q <= 16'd0;
      steps_covered_q <= 32'd0;
      push_nack_q <= 1'b0;
      push_seq_q <= 8'd0;
      push_status_q <= 8'd0;
      push_expected_q <= 8'd0;
      rq_wr_q <= 3'd0;
      rq_rd_q <= 3'd0;
      long_req_q <= 1'b0;
      long_kind_q <= K_EMPTY;
      long_type_q <= 8'd0;
      long_seq_q <= 8'd0;
      long_len_q <= 9'd0;
      hdr_q <= 64'd0;
      rb_ph_q <= 2'd0;
      rd_pos_q <= 9'd0;
      rd_end_q <= 9'd0;
      asm_q <= 48'd0;
      asm_b_q <= 3'd0;
      asm_wb_q <= 3'd1;
      word_full_q <= 1'b0;
      word_i_q <= 16'd0;
      v_rec_left_q <= 16'd0;
      v_steps_q <= 32'd0;
      rd_mem_q <= 4'd0;
      rd_addr_q <= 32'd0;
      rd_left_q <= 17'd0;
      rd_k_q <= 8'd0;
      rd_wb_q <= 3'd1;
      data_more_q <= 1'b0;
      run_start_step_q <= 32'd0;
      snd_active_q <= 1'b0;
      snd_kind_q <= K_EMPTY;
      snd_status_q <= 8'd0;
      snd_expected_q <= 8'd0;
      snd_long_q <= 1'b0;
      snd_events_q <= 1'b0;
      lat_q <= 64'd0;
      lat_b_q <= 3'd0;
      pw_word_q <= 8'd0;
      src_wait_q <= 1'b0;
      src_wait2_q <= 1'b0;
      ev_offset_q <= 32'd0;
      ev_consumed_q <= 32'd0;
      ev_n_q <= 8'd0;
      pl_byte_q <= 8'd0;
      pl_have_q <= 1'b0;
      desc_pop <= 1'b0;
      buf_idx <= 8'd0;
      tx_start <= 1'b0;
      tx_type <= 8'd0;
      tx_seq <= 8'd0;
      tx_len <= 9'd0;
      mem_valid_o <= 1'b0;
      mem_op_o <= OP_RD;
      mem_id_o <= '0;
      mem_addr_o <= '0;
      mem_wdata_o <= '0;
      ctl_run_o <= 1'b0;
      ctl_steps_o <= 32'd0;
      ctl_reset_o <= 1'b0;
      ctl_abort_o <= 1'b0;
      in_clear <= 1'b0;
      in_discard <= 1'b0;
      in_abort <= 1'b0;
      in_wvalid <= 1'b0;
      in_wdata <= 16'd0;
      out_clear <= 1'b0;
      out_flush <= 1'b0;
      out_advance <= 1'b0;
      out_advance_n <= 8'd0;
      out_rd_index <= '0;
    end else begin
      // One-clock strobes.
      desc_pop <= 1'b0;
      tx_start <= 1'b0;
      ctl_abort_o <= 1'b0;
      in_clear <= 1'b0;
      in_discard <= 1'b0;
      in_abort <= 1'b0;
      in_wvalid <= 1'b0;
      out_clear <= 1'b0;
      out_flush <= 1'b0;
      out_advance <= 1'b0;

      // Receiver counters and the owed OVERFLOW answer. rxFrames counts good frames: those
      // the engine takes and the EVACKs the receiver hands over directly.
      if (evack || take_good) rx_frames_q <= rx_frames_q + 1'b1 + {31'd0, evack && take_good};
      if (garbage) garbage_q <= garbage_q + {30'd0, garbage_n};
      if (overflow) begin
        overflow_owed_q <= 1'b1;
        frame_errors_q <= frame_errors_q + 1'b1;
      end

      // Requests to the core are held until taken.
      if (ctl_run_o && ctl_ready_i) ctl_run_o <= 1'b0;
      if (ctl_reset_o && ctl_ready_i) ctl_reset_o <= 1'b0;
      if (mem_valid_o && mem_ready_i) begin
        mem_valid_o <= 1'b0;
        mem_pending_q <= 1'b1;
      end
      if (mem_rvalid_i) mem_pending_q <= 1'b0;

      // ---- Payload byte reader.
      case (rb_ph_q)
        2'd0: if (rd_want) begin
          buf_idx <= rd_pos_q[7:0];
          rb_ph_q <= 2'd1;
        end
        2'd1: rb_ph_q <= 2'd2;
        default: begin
          rb_ph_q <= 2'd0;
          rd_pos_q <= rd_pos_q + 1'b1;
          if (state_q == E_HDR) begin
            hdr_q[{rd_pos_q[2:0], 3'b000} +: 8] <= buf_byte;
          end else begin
            asm_q[{asm_b_q, 3'b000} +: 8] <= buf_byte;
            if (asm_b_q + 1'b1 == asm_wb_q) begin
              asm_b_q <= 3'd0;
              word_full_q <= 1'b1;
            end else begin
              asm_b_q <= asm_b_q + 1'b1;
            end
          end
        end
      endcase

      // ---- Sender: queued short answers first (they are older than any long answer), then
      // the long answer, then EVENTS.
      if (snd_free) begin
        if (!rq_empty) begin
          rq_rd_q <= rq_rd_q + 1'b1;
          snd_kind_q <= rq_head[24] ? K_NACK : K_EMPTY;
          snd_status_q <= rq_head[15:8];
          snd_expected_q <= rq_head[7:0];
          snd_long_q <= 1'b0;
          snd_events_q <= 1'b0;
          tx_type <= rq_head[24] ? RSP_NACK : RSP_ACK;
          tx_seq <= rq_head[23:16];
          tx_len <= rq_head[24] ? 9'd2 : 9'd0;
          if (rq_head[24]) nacks_q <= nacks_q + 1'b1;
          tx_start <= 1'b1;
          snd_active_q <= 1'b1;
        end else if (long_req_q) begin
          snd_kind_q <= long_kind_q;
          snd_long_q <= 1'b1;
          snd_events_q <= 1'b0;
          tx_type <= long_type_q;
          tx_seq <= long_seq_q;
          tx_len <= long_len_q;
          tx_start <= 1'b1;
          snd_active_q <= 1'b1;
        end else if (events_due) begin
          snd_kind_q <= K_EVENTS;
          snd_long_q <= 1'b0;
          snd_events_q <= 1'b1;
          ev_offset_q <= out_sent;
          ev_consumed_q <= in_consumed;
          ev_n_q <= ev_take;
          reported_consumed_q <= in_consumed;
          tx_type <= RSP_EVENTS;
          tx_seq <= 8'd0;
          tx_len <= 9'd8 + {ev_take, 1'b0};
          tx_start <= 1'b1;
          snd_active_q <= 1'b1;
        end
        pl_have_q <= 1'b0;
        lat_b_q <= 3'd0;
        pw_word_q <= 8'd0;
        src_wait_q <= 1'b0;
        src_wait2_q <= 1'b0;
      end else if (snd_active_q && !tx_busy && !tx_start) begin
        // The frame has gone out.
        snd_active_q <= 1'b0;
        if (snd_long_q) long_req_q <= 1'b0;
        if (snd_events_q) begin
          out_advance <= 1'b1;
          out_advance_n <= ev_n_q;
        end
      end else if (snd_active_q && !tx_start) begin
        // Payload pump: keeps the next byte ready for the transmitter.
        src_wait2_q <= src_wait_q && !pump_load;
        if (pl_have_q) begin
          if (pl_ready) begin
            pl_have_q <= 1'b0;
            if ((snd_kind_q == K_DATA || snd_kind_q == K_EVENTS) && pl_index >= 9'd8) begin
              if (lat_b_q + 1'b1 == pump_wb) begin
                lat_b_q <= 3'd0;
                pw_word_q <= pw_word_q + 1'b1;
              end else begin
                lat_b_q <= lat_b_q + 1'b1;
              end
            end
          end
        end else if (pl_index < tx_len) begin
          if (pump_ready) begin
            pl_byte_q <= pump_byte;
            pl_have_q <= 1'b1;
            if (pump_load) begin
              lat_q <= pump_lat;
              src_wait_q <= 1'b0;
              src_wait2_q <= 1'b0;
            end
          end else if (pump_fetch && snd_kind_q == K_DATA && !mem_busy) begin
            mem_valid_o <= 1'b1;
            mem_op_o <= OP_RD;
            mem_id_o <= rd_mem_q;
            mem_addr_o <= rd_addr_q[15:0] + {8'd0, pw_word_q};
            src_wait_q <= 1'b1;
          end else if (pump_fetch && snd_kind_q == K_EVENTS) begin
            out_rd_index <= OutAW'(ev_offset_q + {24'd0, pw_word_q});
            src_wait_q <= 1'b1;
          end
        end
      end

      // ---- Engine.
      case (state_q)
        E_IDLE: begin
          if (run_over) begin
            // The run has ended and its last marker is in: write the last quiet-step word;
            // input the run did not take (after an ABORT) is dropped.
            running_q <= 1'b0;
            aborting_q <= 1'b0;
            out_flush <= 1'b1;
            in_discard <= 1'b1;
          end else if (overflow_owed_q && !overflow) begin
            overflow_owed_q <= 1'b0;
            answer(1'b1, expected_q, ST_OVERFLOW, expected_q);
          end else if (desc_here && desc_status != 2'd0) begin
            // A frame with a readable header that failed: answer it and drop it.
            if (desc_status == 2'd1) crc_errors_q <= crc_errors_q + 1'b1;
            else frame_errors_q <= frame_errors_q + 1'b1;
            desc_pop <= 1'b1;
            answer(1'b1, desc_seq, (desc_status == 2'd1) ? ST_CRC : (desc_status == 2'd2) ? ST_LENGTH : ST_TIMEOUT,
                   expected_q);
          end else if (desc_here) begin
            hdr_q <= 64'd0;
            rd_pos_q <= 9'd0;
            rd_end_q <= (desc_len < 9'd8) ? desc_len : 9'd8;
            state_q <= E_HDR;
          end
        end

        E_HDR: if (rd_idle) state_q <= E_DECIDE;

        E_DECIDE: begin
          if (d_exec) expected_q <= expected_q + 1'b1;
          case (d_action)
            D_CAPS: begin
              // HELLO starts a session: any SEQ, and the next frame must carry SEQ + 1.
              expected_q <= desc_seq + 1'b1;
              desc_pop <= 1'b1;
              answer_long(K_CAPS, RSP_ACK, desc_seq, 9'd64);
            end
            D_EVACK: begin
              // A good EVACK never gets here (the receiver hands it over at once); one with
              // another LEN is malformed and ignored without an answer (losing one is harmless).
              desc_pop <= 1'b1;
              state_q <= E_IDLE;
            end
            D_STATUS: begin
              desc_pop <= 1'b1;
              answer_long(K_STATUS, RSP_ACK, desc_seq, 9'd56);
            end
            D_RESET: begin
              desc_pop <= 1'b1;
              ctl_reset_o <= 1'b1;
              in_clear <= 1'b1;
              out_clear <= 1'b1;
              reported_consumed_q <= 32'd0;
              push_seq_q <= desc_seq;
              state_q <= E_RESET;
            end
            D_WRITE: begin
              rd_pos_q <= 9'd8;
              rd_end_q <= desc_len;
              asm_q <= 48'd0;
              asm_b_q <= 3'd0;
              asm_wb_q <= map_wb;
              word_i_q <= 16'd0;
              state_q <= E_WCHECK;
            end
            D_READ: begin
              desc_pop <= 1'b1;
              rd_mem_q <= h_memory[3:0];
              rd_addr_q <= h_addr;
              rd_left_q <= {1'b0, h_count};
              rd_wb_q <= map_wb;
              rd_k_q <= 8'd0;
              data_more_q <= 1'b0;
              long_seq_q <= desc_seq;
              state_q <= E_READ;
            end
            D_RUN: begin
              desc_pop <= 1'b1;
              ctl_steps_o <= h_u32;
              ctl_run_o <= 1'b1;
              in_clear <= 1'b1;
              out_clear <= 1'b1;
              running_q <= 1'b1;
              aborting_q <= 1'b0;
              rec_left_q <= 16'd0;
              steps_covered_q <= 32'd0;
              reported_consumed_q <= 32'd0;
              run_start_step_q <= step_counter_i;
              answer_long(K_RUNACK, RSP_ACK, desc_seq, 9'd4);
            end
            D_INPUT: begin
              rd_pos_q <= 9'd0;
              rd_end_q <= desc_len;
              asm_q <= 48'd0;
              asm_b_q <= 3'd0;
              asm_wb_q <= 3'd2;
              word_i_q <= 16'd0;
              v_rec_left_q <= rec_left_q;
              v_steps_q <= steps_covered_q;
              state_q <= E_ICHECK;
            end
            D_ABORT: begin
              desc_pop <= 1'b1;
              push_seq_q <= desc_seq;
              if (running_q) begin
                if (!aborting_q) begin
                  // The core ends the run after the step in progress; the input side completes
                  // that step's input with what it has (docs/protocol.md §7.5).
                  aborting_q <= 1'b1;
                  ctl_abort_o <= 1'b1;
                  in_abort <= 1'b1;
                end
                state_q <= E_ABORT;
              end else begin
                answer(1'b0, desc_seq, 8'd0, expected_q + 1'b1);
              end
            end
            default: begin  // D_NACK
              desc_pop <= 1'b1;
              answer(1'b1, desc_seq, d_status, d_exec ? expected_q + 1'b1 : expected_q);
            end
          endcase
        end

        E_WCHECK: begin
          // Every word goes to the core as a check (nothing written); the first refusal
          // answers the frame with the core's status.
          if (word_full_q && !mem_busy && !mem_rvalid_i) begin
            mem_valid_o <= 1'b1;
            mem_op_o <= OP_CHECK;
            mem_id_o <= h_memory[3:0];
            mem_addr_o <= w_addr_now;
            mem_wdata_o <= asm_q;
          end else if (mem_rvalid_i && mem_pending_q) begin
            word_full_q <= 1'b0;
            word_i_q <= word_i_q + 1'b1;
            if (mem_status_i != 8'd0) begin
              desc_pop <= 1'b1;
              rd_end_q <= rd_pos_q;
              answer(1'b1, desc_seq, mem_status_i, expected_q);
            end
          end else if (rd_idle && !mem_busy) begin
            rd_pos_q <= 9'd8;
            word_i_q <= 16'd0;
            state_q <= E_WCOMMIT;
          end
        end

        E_WCOMMIT: begin
          if (word_full_q && !mem_busy && !mem_rvalid_i) begin
            mem_valid_o <= 1'b1;
            mem_op_o <= OP_WR;
            mem_id_o <= h_memory[3:0];
            mem_addr_o <= w_addr_now;
            mem_wdata_o <= asm_q;
          end else if (mem_rvalid_i && mem_pending_q) begin
            word_full_q <= 1'b0;
            word_i_q <= word_i_q + 1'b1;
            // Keep the copies of the CONFIG registers the link checks against.
            if (h_memory[3:0] == MEM_CONFIG && mem_status_i == 8'd0) begin
              case (w_addr_now[2:0])
                3'd0: cfg_num_neurons_q <= asm_q[NeuronW:0];
                3'd1: cfg_num_axons_q <= asm_q[AxonW:0];
                3'd2: cfg_record_base_q <= asm_q[NeuronW:0];
                3'd3: cfg_record_count_q <= asm_q[NeuronW:0];
                default: ;
              endcase
            end
          end else if (rd_idle && !mem_busy) begin
            desc_pop <= 1'b1;
            answer(1'b0, desc_seq, 8'd0, expected_q);
          end
        end

        E_ICHECK: begin
          if (word_full_q) begin
            word_full_q <= 1'b0;
            v_rec_left_q <= i_rec_left_next;
            v_steps_q <= i_steps_next;
            if (i_word_bad) begin
              desc_pop <= 1'b1;
              rd_end_q <= rd_pos_q;
              answer(1'b1, desc_seq, ST_RANGE, expected_q);
            end
          end else if (rd_idle) begin
            rd_pos_q <= 9'd0;
            state_q <= E_ICOMMIT;
          end
        end

        E_ICOMMIT: begin
          if (word_full_q) begin
            word_full_q <= 1'b0;
            in_wvalid <= 1'b1;
            in_wdata <= asm_q[15:0];
          end else if (rd_idle) begin
            rec_left_q <= v_rec_left_q;
            steps_covered_q <= v_steps_q;
            desc_pop <= 1'b1;
            answer(1'b0, desc_seq, 8'd0, expected_q);
          end
        end

        E_PUSH: begin
          if (!rq_full) begin
            rq_mem[rq_wr_q[1:0]] <= {push_nack_q, push_seq_q, push_status_q, push_expected_q};
            rq_wr_q <= rq_wr_q + 1'b1;
            state_q <= E_IDLE;
          end
        end

        E_LONG: begin
          if (!long_req_q) state_q <= data_more_q ? E_READ : E_IDLE;
        end

        E_READ: begin
          // The next DATA frame of the READ: min(words left, words per frame) words.
          if (data_more_q && rd_k_q != 8'd0) rd_addr_q <= rd_addr_q + {24'd0, rd_k_q};
          if ({9'd0, map_per_frame} < rd_left_q) begin
            rd_k_q <= map_per_frame;
            rd_left_q <= rd_left_q - {9'd0, map_per_frame};
            data_more_q <= 1'b1;
            answer_long(K_DATA, RSP_DATA, long_seq_q, 9'd8 + 9'(map_per_frame * rd_wb_q));
          end else begin
            rd_k_q <= rd_left_q[7:0];
            rd_left_q <= 17'd0;
            data_more_q <= 1'b0;
            answer_long(K_DATA, RSP_DATA, long_seq_q, 9'd8 + 9'(rd_left_q[7:0] * rd_wb_q));
          end
        end

        E_RESET: begin
          if (!ctl_reset_o && !busy_i) answer(1'b0, push_seq_q, 8'd0, expected_q);
        end

        E_ABORT: begin
          // Answer once the run has ended (E_IDLE's bookkeeping does not run meanwhile).
          if (!running_q) begin
            answer(1'b0, push_seq_q, 8'd0, expected_q);
          end else if (!ctl_run_o && !busy_i && !out_valid_i) begin
            running_q <= 1'b0;
            aborting_q <= 1'b0;
            out_flush <= 1'b1;
            in_discard <= 1'b1;
          end
        end

        default: state_q <= E_IDLE;
      endcase
    end
  end

endmodule

`default_nettype wire
