// SPDX-License-Identifier: Apache-2.0
// The link's command engine (docs/protocol.md): UART, frame receiver and transmitter, and the
// FSM that executes frames in order against the core (memories, run control, input and output
// event streams) and answers each with ACK, DATA or NACK. host/driver/board-model.ts is the
// reference behaviour. A frame is executed only after its CRC passed and only when every check
// passed: a refused frame changes nothing.
//
// Area matters more than speed here (the core fills most of the iCE40UP5K; the UART gives 80
// clocks per byte): payload bytes are handled one at a time, multi-byte answer fields go out
// through one shift register, the STATUS counters and the HELLO record live in an EBR
// (loci_link_stats), and output stream positions are kept as small offsets (loci_link_out).

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
  // Input words buffered and output words retained (one EBR each at 256).
  parameter integer InputBufferWords = 256,
  parameter integer OutputBufferWords = 256,
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
  output wire [`LOCI_MEM_ID_W-1:0]      mem_id_o,
  output wire [`LOCI_MEM_ADDR_W-1:0]    mem_addr_o,
  output wire [`LOCI_MEM_DATA_W-1:0]    mem_wdata_o,
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
  // Protocol constants (docs/protocol.md §4, §5; memory ids and core statuses from the map).
  localparam [7:0] OP_HELLO = 8'h01, OP_STATUS = 8'h02, OP_RESET = 8'h03, OP_WRITE = 8'h04,
                   OP_READ = 8'h05, OP_RUN = 8'h06, OP_INPUT = 8'h07, OP_EVACK = 8'h08,
                   OP_ABORT = 8'h09;
  localparam [7:0] RSP_ACK = 8'h80, RSP_NACK = 8'h81, RSP_DATA = 8'h82, RSP_EVENTS = 8'h83;
  localparam [7:0] ST_CRC = 8'h01, ST_LENGTH = 8'h02, ST_TIMEOUT = 8'h03, ST_OVERFLOW = 8'h04,
                   ST_SEQUENCE = 8'h05, ST_OPCODE = 8'h10, ST_PAYLOAD = 8'h11,
                   ST_MEMORY = 8'(`LOCI_STATUS_MEMORY), ST_ADDRESS = 8'(`LOCI_STATUS_ADDRESS),
                   ST_READ_ONLY = 8'(`LOCI_STATUS_READ_ONLY), ST_BUSY = 8'(`LOCI_STATUS_BUSY),
                   ST_IDLE = 8'h16, ST_RANGE = 8'(`LOCI_STATUS_RANGE), ST_CREDIT = 8'h18;
  localparam [3:0] MEM_CONFIG = 4'(`LOCI_MEM_CONFIG), MEM_STATE = 4'(`LOCI_MEM_STATE),
                   MEM_COUNTERS = 4'(`LOCI_MEM_COUNTERS), MEM_LAST = 4'(`LOCI_MEM_COUNT - 1);
  localparam [1:0] OP_RD = 2'd0, OP_WR = 2'd1, OP_CHECK = 2'd2;
  localparam integer A = `LOCI_AXONS;
  localparam integer MaxInputs = (InputBufferWords - 1 < A) ? InputBufferWords - 1 : A;
  // EVENTS: output words per frame, and the consumption change that forces a report.
  localparam integer EventsWords = (256 - 8) / 2;
  localparam integer CreditReport = InputBufferWords / 4;
  localparam integer OW = $clog2(OutputBufferWords) + 1;

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
  wire garbage, overflow, frx_busy, evack, evack_resend;
  wire [1:0] garbage_n;
  wire [31:0] evack_received;
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
  // Byte RAM: HELLO record and the link's STATUS counters.
  // The sender reads the RAM (combinational request, the byte arrives next clock); st_lock
  // holds the counters still while the four bytes of one are read.
  reg st_rd;
  reg [6:0] st_addr;
  reg st_lock;
  wire [7:0] st_byte;
  wire st_busy;
  reg cnt_crc, cnt_frame_bad, cnt_nack;
  wire [1:0] cnt_rx_n, cnt_frame_n;
  loci_link_stats #(
    .ClkHz(ClkHz), .Baud(Baud), .VirtualBoard(VirtualBoard), .BuildId(BuildId), .Window(Window),
    .MaxPayload(256), .InputBufferWords(InputBufferWords), .OutputBufferWords(OutputBufferWords)
  ) u_stats (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .inc_rx_frames_i(cnt_rx_n), .inc_crc_i(cnt_crc), .inc_frame_err_i(cnt_frame_n), .inc_nack_i(cnt_nack),
    .inc_garbage_i(garbage), .inc_garbage_n_i(garbage_n),
    .rd_i(st_rd), .rd_addr_i(st_addr), .rd_data_o(st_byte), .lock_i(st_lock), .busy_o(st_busy)
  );

  // ------------------------------------------------------------------------------------------
  // Event streams.
  reg in_clear, in_discard, in_abort, in_wvalid;
  wire [15:0] in_wdata;
  wire [$clog2(InputBufferWords)+1:0] in_buffered;
  wire [31:0] in_consumed;
  wire in_pop, in_abort_done_unused, in_empty;
  loci_link_in #(.Depth(InputBufferWords), .AxonW(AxonW)) u_in (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(in_clear), .discard_i(in_discard), .abort_i(in_abort),
    .wdata_i(in_wdata), .wvalid_i(in_wvalid),
    .ev_valid_o(in_valid_o), .ev_eos_o(in_eos_o), .ev_axon_o(in_axon_o), .ev_pop_i(in_ready_i),
    .buffered_o(in_buffered), .consumed_o(in_consumed), .pop_o(in_pop),
    .abort_done_o(in_abort_done_unused), .empty_o(in_empty)
  );

  reg out_clear, out_flush, out_advance;
  reg [7:0] out_advance_n;
  wire ev_start;
  reg [OW-2:0] out_rd_index;
  wire [15:0] out_rd_word;
  wire [31:0] out_acked;
  wire [OW-1:0] out_written_off, out_sent_off;
  wire [OW-2:0] out_sent_slot;
  wire out_flushed_unused, out_blocked;
  loci_link_out #(.Depth(OutputBufferWords), .NeuronW(NeuronW)) u_out (
    .clk_i(clk_i), .rst_ni(rst_ni), .clear_i(out_clear),
    .sp_valid_i(out_valid_i), .sp_eos_i(out_eos_i), .sp_neuron_i(out_neuron_i), .sp_ready_o(out_ready_o),
    .flush_i(out_flush), .flushed_o(out_flushed_unused),
    .ack_i(evack), .ack_received_i(evack_received), .ack_resend_i(evack_resend),
    .frame_start_i(ev_start), .advance_i(out_advance), .advance_n_i(out_advance_n),
    .rd_index_i(out_rd_index), .rd_word_o(out_rd_word),
    .acked_o(out_acked), .written_off_o(out_written_off), .sent_off_o(out_sent_off),
    .sent_slot_o(out_sent_slot), .blocked_o(out_blocked)
  );

  // ------------------------------------------------------------------------------------------
  // Link state.

  // The sequence number the next executed frame must carry.
  reg [7:0] expected_q;
  // Clocks since power-up (the virtual board adds the idle clocks it skips).
  reg [63:0] uptime_q;
  // A frame was dropped for want of a buffer; one NACK OVERFLOW is owed.
  reg overflow_owed_q;
  // Run state: a run is accepted; the core has taken it; an ABORT is ending it.
  reg running_q, started_q, aborting_q;
  // Copies of the core's CONFIG registers (updated on every accepted CONFIG write; the core's
  // power-up values): INPUT and RUN are checked against them.
  reg [NeuronW:0] cfg_num_neurons_q, cfg_record_base_q, cfg_record_count_q;
  reg [AxonW:0] cfg_num_axons_q;
  // Input records accepted so far in the run: axon words still due in the current record, and
  // steps the run's remaining records may still cover.
  reg [AxonW:0] rec_left_q;
  reg [31:0] cover_left_q;
  // Input words consumed since the last EVENTS report (saturating).
  reg [9:0] since_report_q;

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) uptime_q <= 64'd0;
    else uptime_q <= uptime_q + 1'b1;
  end

  // ------------------------------------------------------------------------------------------
  // Engine states. The engine executes frames; the sender (below) transmits. Short answers
  // (ACK without payload, NACK) go through a small queue so that execution goes on while the
  // transmitter is busy; answers with a payload (HELLO, STATUS, RUN, DATA) are handed to the
  // sender after every queued answer, which keeps all answers in the order of their frames.
  localparam [3:0] E_IDLE    = 4'd0,   // pick the next frame
                   E_HDR     = 4'd1,   // read up to 8 payload bytes
                   E_DECIDE  = 4'd2,   // sequence and command checks
                   E_WCHECK  = 4'd3,   // WRITE: every word checked by the core
                   E_WCOMMIT = 4'd4,   // WRITE: every word written
                   E_ICHECK  = 4'd5,   // INPUT: every word checked
                   E_ICOMMIT = 4'd6,   // INPUT: every word buffered
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

  // The short answer to queue (E_PUSH): NACK or empty ACK, SEQ, status, and the `expected` a
  // NACK carries (the board's E after that frame).
  reg push_nack_q;
  reg [7:0] push_seq_q, push_status_q, push_expected_q;
  // Short-answer queue, two entries: {nack, seq, status, expected}.
  reg [24:0] rq_q [0:1];
  reg [1:0] rq_wr_q, rq_rd_q;
  wire rq_empty = (rq_wr_q == rq_rd_q);
  wire rq_full = (rq_wr_q[1] != rq_rd_q[1]) && (rq_wr_q[0] == rq_rd_q[0]);
  wire [24:0] rq_head = rq_q[rq_rd_q[0]];

  // An answer with payload for the sender (until it has gone out): kind, SEQ, LEN.
  reg long_req_q;
  reg [2:0] long_kind_q;
  reg [7:0] long_seq_q;
  reg [8:0] long_len_q;

  // Request header: memory id (byte 0), byte 1, count (2-3), address (4-5), "address above
  // 16 bits" (6-7). RUN's steps are bytes 0-3; EVACK bypasses the engine.
  reg [7:0] h_mem_q, h_b1_q;
  reg [15:0] h_count_q, h_addr_q;
  reg h_addr_hi_q;
  wire [31:0] h_u32 = {h_count_q, h_b1_q, h_mem_q};

  // Payload byte reader over the frame buffer, three clocks a byte (set the index, the buffer
  // reads, take the byte); words are assembled little-endian in asm_q.
  reg [1:0] rb_ph_q;
  reg [8:0] rd_pos_q;     // next payload byte to read
  reg [8:0] rd_end_q;     // read up to here (exclusive)
  reg [47:0] asm_q;
  reg [2:0] asm_b_q;      // bytes of the word assembled so far
  reg [2:0] asm_wb_q;     // bytes per word in this pass
  reg word_full_q;        // asm_q holds a complete word, not yet processed
  // WRITE: address of the current word. A memory request was taken; its answer is due.
  reg [15:0] waddr_q;
  reg mem_pending_q;
  reg [3:0] mem_id_q;

  // INPUT validation state (committed only when the whole frame is valid).
  reg [AxonW:0] v_rec_left_q;
  reg [22:0] v_steps_q;   // steps this frame covers (<= 128 words x 32767)

  // READ stream: memory, address of the next DATA frame, words left, words in this frame.
  reg [3:0] rd_mem_q;
  reg [15:0] rd_addr_q;
  reg [16:0] rd_left_q;
  reg [7:0] rd_k_q;
  reg [2:0] rd_wb_q;
  reg data_more_q;        // after this DATA frame, another one follows

  // Sender: the frame on the wire (payload kind, NACK payload; whether it is the long answer or
  // an EVENTS frame).
  reg snd_active_q;
  reg [2:0] snd_kind_q;
  reg [7:0] snd_status_q, snd_expected_q;
  reg snd_long_q, snd_events_q;
  // Payload pump: multi-byte fields and words go out through sh_q, low byte first; sh_n_q bytes
  // of it are still to go; pw_word_q counts the words of a DATA or EVENTS frame.
  reg [63:0] sh_q;
  reg [3:0] sh_n_q;
  reg [7:0] pw_word_q;
  reg src_wait_q, src_wait2_q;   // a word or RAM read is outstanding (one or two clocks)
  reg [2:0] st_n_q;              // RAM bytes of a STATUS counter requested so far (0..4)
  // EVENTS frame: buffer slot of its first word, and its word count.
  reg [OW-2:0] ev_slot_q;
  reg [7:0] ev_n_q;

  // ------------------------------------------------------------------------------------------
  // Checks of the request (E_DECIDE).
  wire h_mem_known = h_mem_q <= {4'd0, MEM_LAST};
  wire h_writable = h_mem_q[3:0] < MEM_STATE;
  reg [16:0] h_depth;
  reg [2:0] h_wb;
  reg [7:0] h_per_frame;
  always @(*) begin
    case (h_mem_q[3:0])
      4'd0:  begin h_depth = 17'(`LOCI_MEM_PARAMS_DEPTH);     h_wb = 3'd4; end
      4'd1:  begin h_depth = 17'(`LOCI_MEM_SYNAPSES_DEPTH);   h_wb = 3'd4; end
      4'd2:  begin h_depth = 17'(`LOCI_MEM_FANOUT_PTR_DEPTH); h_wb = 3'd4; end
      4'd3:  begin h_depth = 17'(`LOCI_MEM_FANIN_PTR_DEPTH);  h_wb = 3'd4; end
      4'd4:  begin h_depth = 17'(`LOCI_MEM_FANIN_LIST_DEPTH); h_wb = 3'd2; end
      4'd5:  begin h_depth = 17'(`LOCI_MEM_CONFIG_DEPTH);     h_wb = 3'd4; end
      4'd6:  begin h_depth = 17'(`LOCI_MEM_STATE_DEPTH);      h_wb = 3'd6; end
      4'd7:  begin h_depth = 17'(`LOCI_MEM_RING_DEPTH);       h_wb = 3'd3; end
      4'd8:  begin h_depth = 17'(`LOCI_MEM_AXON_TRACE_DEPTH); h_wb = 3'd1; end
      4'd9:  begin h_depth = 17'(`LOCI_MEM_COUNTERS_DEPTH);   h_wb = 3'd4; end
      default: begin h_depth = 17'(`LOCI_MEM_WEIGHTS_DEPTH);  h_wb = 3'd1; end
    endcase
    case (h_wb)
      3'd1: h_per_frame = 8'd248;
      3'd2: h_per_frame = 8'd124;
      3'd3: h_per_frame = 8'd82;
      3'd4: h_per_frame = 8'd62;
      default: h_per_frame = 8'd41;
    endcase
  end
  // count = 0, or addr + count past the depth.
  wire acc_addr_bad = (h_count_q == 16'd0) || h_addr_hi_q || ({1'b0, h_addr_q} + {1'b0, h_count_q} > h_depth);
  // LEN of a WRITE must be 8 + count x word bytes.
  reg [18:0] acc_bytes;
  always @(*) begin
    case (h_wb)
      3'd1: acc_bytes = {3'd0, h_count_q};
      3'd2: acc_bytes = {2'd0, h_count_q, 1'b0};
      3'd3: acc_bytes = {2'd0, h_count_q, 1'b0} + {3'd0, h_count_q};
      3'd4: acc_bytes = {1'd0, h_count_q, 2'b0};
      default: acc_bytes = {1'd0, h_count_q, 2'b0} + {2'd0, h_count_q, 1'b0};
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
          else if (!h_mem_known) d_status = ST_MEMORY;
          else if (acc_addr_bad) d_status = ST_ADDRESS;
          else if ({10'd0, desc_len} != acc_bytes + 19'd8) d_status = ST_PAYLOAD;
          else if (!h_writable) d_status = ST_READ_ONLY;
          else if (running_q) d_status = ST_BUSY;
          else d_action = D_WRITE;
        end
        OP_READ: begin
          if (desc_len < 9'd8) d_status = ST_PAYLOAD;
          else if (!h_mem_known) d_status = ST_MEMORY;
          else if (acc_addr_bad) d_status = ST_ADDRESS;
          else if (desc_len != 9'd8) d_status = ST_PAYLOAD;
          else if (running_q && h_mem_q[3:0] != MEM_COUNTERS) d_status = ST_BUSY;
          else d_action = D_READ;
        end
        OP_RUN: begin
          if (desc_len != 9'd4) d_status = ST_PAYLOAD;
          else if (running_q) d_status = ST_BUSY;
          else if (h_u32 == 32'd0 || h_u32[31]) d_status = ST_RANGE;
          else if ({1'b0, cfg_record_base_q} + {1'b0, cfg_record_count_q} > {1'b0, cfg_num_neurons_q}) d_status = ST_RANGE;
          // A step's whole record must fit the output buffer, or the core could never finish it.
          else if ({1'b0, cfg_record_count_q} + 3 > (NeuronW + 2)'(OutputBufferWords)) d_status = ST_RANGE;
          else d_action = D_RUN;
        end
        OP_INPUT: begin
          if (desc_len < 9'd2 || desc_len[0]) d_status = ST_PAYLOAD;
          else if (!running_q || aborting_q) d_status = ST_IDLE;
          else if (32'(in_buffered) + 32'(desc_len[8:1]) > 32'(InputBufferWords)) d_status = ST_CREDIT;
          else d_action = D_INPUT;
        end
        OP_ABORT: if (desc_len != 9'd0) d_status = ST_PAYLOAD; else d_action = D_ABORT;
        default: d_status = ST_OPCODE;
      endcase
    end
  end

  // One INPUT word against the parse state: bad, and the state after it (docs/protocol.md §7.1).
  wire [15:0] i_word = asm_q[15:0];
  reg i_word_bad;
  reg [AxonW:0] i_rec_left_next;
  reg [22:0] i_steps_next;
  always @(*) begin
    i_word_bad = 1'b0;
    i_rec_left_next = v_rec_left_q;
    i_steps_next = v_steps_q;
    if (v_rec_left_q != '0) begin
      // An axon of the record: below numAxons.
      if (i_word >= 16'(cfg_num_axons_q)) i_word_bad = 1'b1;
      i_rec_left_next = v_rec_left_q - 1'b1;
    end else if (i_word[15]) begin
      // k quiet steps, k >= 1.
      if (i_word[14:0] == 15'd0) i_word_bad = 1'b1;
      i_steps_next = v_steps_q + {8'd0, i_word[14:0]};
    end else begin
      // A record of n events: n <= maxInputsPerStep and <= numAxons.
      if (i_word > 16'(MaxInputs) || i_word > 16'(cfg_num_axons_q)) i_word_bad = 1'b1;
      i_steps_next = v_steps_q + 1'b1;
      i_rec_left_next = i_word[AxonW:0];
    end
  end
  // The frame's records must not cover more steps than the run has left to cover.
  wire [32:0] cover_after = {1'b0, cover_left_q} - {10'd0, v_steps_q};

  // ------------------------------------------------------------------------------------------
  // EVENTS due (docs/protocol.md §7.4): a full frame of unsent words; or unsent words or an
  // unreported consumption while the core waits (for input, for room) or no run is going; or
  // consumption grew by a quarter of the input buffer since the last report.
  wire [OW-1:0] unsent = out_written_off - out_sent_off;
  wire [7:0] ev_take = (unsent > OW'(EventsWords)) ? 8'(EventsWords) : 8'(unsent);
  wire core_waiting = !started_q || in_empty || out_blocked;
  wire events_due = (unsent >= OW'(EventsWords)) ||
                    ((unsent != '0 || since_report_q != 10'd0) && core_waiting) ||
                    (since_report_q >= 10'(CreditReport));
  // Stream positions on the wire: acked + an offset.
  wire [OW-1:0] pos_off = (snd_kind_q == K_EVENTS) ? out_sent_off : out_written_off;
  wire [31:0] pos_sum = out_acked + 32'(pos_off);

  // ------------------------------------------------------------------------------------------
  // Payload pump: the next field or word for sh_q (when sh_q has no byte left), per kind.
  // Fields are loaded whole so none can tear while it goes out.
  reg pump_load;         // load sh_q from pump_val with pump_n bytes this clock
  reg [63:0] pump_val;
  reg [3:0] pump_n;
  reg pump_fetch;        // start a word read (memory port or output buffer)
  always @(*) begin
    pump_load = 1'b0;
    pump_val = 64'd0;
    pump_n = 4'd4;
    pump_fetch = 1'b0;
    case (snd_kind_q)
      K_NACK: begin
        pump_load = 1'b1;
        pump_val = {48'd0, snd_expected_q, snd_status_q};
        pump_n = 4'd2;
      end
      K_CAPS: begin
        // One RAM byte at a time (requested below, on the read port the clock after).
        pump_load = src_wait_q;
        pump_val = {56'd0, st_byte};
        pump_n = 4'd1;
      end
      K_RUNACK: begin
        pump_load = 1'b1;
        pump_val = {32'd0, step_counter_i};
      end
      K_STATUS: begin
        case (pl_index[5:2])
          4'd0: begin pump_load = 1'b1; pump_val = {48'd0, expected_q, 6'd0, aborting_q, running_q && !aborting_q}; end
          4'd1: begin pump_load = 1'b1; pump_val = {32'd0, running_q ? steps_left_i : 32'd0}; end
          4'd2: begin pump_load = 1'b1; pump_val = {32'd0, step_counter_i}; end
          4'd3: begin pump_load = 1'b1; pump_val = {32'd0, in_consumed}; end
          4'd4: begin pump_load = 1'b1; pump_val = {32'd0, pos_sum}; end
          4'd5: begin pump_load = 1'b1; pump_val = {32'd0, out_acked}; end
          4'd6: begin pump_load = 1'b1; pump_val = uptime_q; pump_n = 4'd8; end
          4'd8, 4'd9, 4'd10, 4'd11, 4'd12: ;  // a counter: four RAM bytes, below

          default: pump_load = 1'b1;  // reserved: zeros
        endcase
      end
      K_DATA: begin
        if (pl_index == 9'd0) begin
          // Access header: memory, 0, count (u16); then addr (u32).
          pump_load = 1'b1;
          pump_val = {16'd0, rd_addr_q, 8'd0, rd_k_q, 8'd0, 4'd0, rd_mem_q};
          pump_n = 4'd8;
        end else if (src_wait_q && mem_rvalid_i) begin
          pump_load = 1'b1;
          pump_val = {16'd0, mem_rdata_i};
          pump_n = {1'b0, rd_wb_q};
        end else begin
          pump_fetch = !src_wait_q;
        end
      end
      K_EVENTS: begin
        if (pl_index == 9'd0) begin
          pump_load = 1'b1;
          pump_val = {in_consumed, pos_sum};
          pump_n = 4'd8;
        end else if (src_wait2_q) begin
          // The slot was registered one clock after the fetch and read the clock after.
          pump_load = 1'b1;
          pump_val = {48'd0, out_rd_word};
          pump_n = 4'd2;
        end else begin
          pump_fetch = !src_wait_q;
        end
      end
      default: ;
    endcase
  end

  // The pump wants a new field this clock (nothing left in sh_q, no byte waiting).
  wire pump_need = snd_active_q && !tx_start && !pl_have_q && (sh_n_q == 4'd0) && (pl_index < tx_len);
  wire status_counter = (snd_kind_q == K_STATUS) && (pl_index[5:2] >= 4'd8) && (pl_index[5:2] <= 4'd12);
  // RAM reads: a HELLO byte, or the next byte of a STATUS counter (the first one only while no
  // counter update is under way; the lock then keeps them still).
  always @(*) begin
    st_rd = 1'b0;
    st_addr = {1'b0, pl_index[5:0]};
    if (pump_need && snd_kind_q == K_CAPS && !src_wait_q) begin
      st_rd = 1'b1;
    end else if (pump_need && status_counter && st_n_q < 3'd4 && (st_n_q != 3'd0 || !st_busy)) begin
      st_rd = 1'b1;
      // STATUS field f (8..12) is counter f - 8 (= pl_index[4:2]): bytes 64 + 4 (f - 8) + n.
      st_addr = 7'd64 + {2'd0, pl_index[4:2], 2'b00} + {5'd0, st_n_q[1:0]};
    end
  end

  // ------------------------------------------------------------------------------------------
  assign running_o = running_q;
  assign nack_o = tx_start && tx_type == RSP_NACK;
  // Nothing in flight and nothing due: every register but uptime_q holds while this is high.
  assign idle_o = (state_q == E_IDLE) && !desc_valid && !desc_pop && !frx_busy && !tx_busy && !tx_start &&
                  !snd_active_q && rq_empty && !long_req_q && !running_q && !overflow_owed_q && !events_due &&
                  !busy_i && !mem_valid_o && !mem_pending_q && !ctl_run_o && !ctl_reset_o && !out_valid_i &&
                  !st_busy && !evack;

  // The core memory port: requests come from the WRITE passes (the word being checked or
  // written) and from DATA frames (the word being sent).
  assign mem_id_o = mem_id_q;
  assign mem_addr_o = (state_q == E_WCHECK || state_q == E_WCOMMIT) ? waddr_q : rd_addr_q + {8'd0, pw_word_q};
  assign mem_wdata_o = asm_q;
  wire mem_busy = mem_valid_o || mem_pending_q;
  assign in_wdata = asm_q[15:0];

  wire rd_want = (rb_ph_q == 2'd0) && (rd_pos_q < rd_end_q) && !word_full_q &&
                 (state_q == E_HDR || state_q == E_WCHECK || state_q == E_WCOMMIT ||
                  state_q == E_ICHECK || state_q == E_ICOMMIT);
  wire rd_idle = (rb_ph_q == 2'd0) && !(rd_pos_q < rd_end_q) && !word_full_q;
  // rxFrames: good frames the engine takes, and EVACKs the receiver hands over; frameErrors:
  // LENGTH/TIMEOUT answers and dropped frames (both may happen in one clock).
  wire take_good = (state_q == E_IDLE) && !run_over && !(overflow_owed_q && !overflow) && desc_here &&
                   (desc_status == 2'd0);
  assign cnt_rx_n = {1'b0, evack} + {1'b0, take_good};
  assign cnt_frame_n = {1'b0, overflow} + {1'b0, cnt_frame_bad};
  // The sender may start a frame; which one it starts.
  // (Not in the clock after an EVENTS frame: its advance reaches the output buffer only then.)
  wire snd_free = !snd_active_q && !tx_busy && !tx_start && !out_advance;
  assign ev_start = snd_free && rq_empty && !long_req_q && events_due;
  // E_IDLE's first choice this clock: the end of the run.
  wire run_over = running_q && started_q && !ctl_run_o && !busy_i && !out_valid_i;

  // Queue a short answer and go to E_PUSH.
  task automatic answer(input nack, input [7:0] seq, input [7:0] status, input [7:0] expected);
    begin
      push_nack_q <= nack;
      push_seq_q <= seq;
      push_status_q <= status;
      push_expected_q <= expected;
      state_q <= E_PUSH;
    end
  endtask
  // The run has ended (and its last marker is in): write the last quiet-step word; input the
  // run did not take (after an ABORT) is dropped.
  task automatic end_run;
    begin
      running_q <= 1'b0;
      started_q <= 1'b0;
      aborting_q <= 1'b0;
      out_flush <= 1'b1;
      in_discard <= 1'b1;
    end
  endtask
  // Hand an answer with payload to the sender and wait in E_LONG.
  task automatic answer_long(input [2:0] kind, input [7:0] seq, input [8:0] len);
    begin
      long_req_q <= 1'b1;
      long_kind_q <= kind;
      long_seq_q <= seq;
      long_len_q <= len;
      state_q <= E_LONG;
    end
  endtask

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= E_IDLE;
      expected_q <= 8'd0;
      overflow_owed_q <= 1'b0;
      running_q <= 1'b0;
      started_q <= 1'b0;
      aborting_q <= 1'b0;
      cfg_num_neurons_q <= (NeuronW + 1)'(`LOCI_CONFIG_NUM_NEURONS_POWER_UP);
      cfg_num_axons_q <= (AxonW + 1)'(`LOCI_CONFIG_NUM_AXONS_POWER_UP);
      cfg_record_base_q <= (NeuronW + 1)'(`LOCI_CONFIG_RECORD_BASE_POWER_UP);
      cfg_record_count_q <= (NeuronW + 1)'(`LOCI_CONFIG_RECORD_COUNT_POWER_UP);
      rec_left_q <= '0;
      cover_left_q <= 32'd0;
      since_report_q <= 10'd0;
      push_nack_q <= 1'b0;
      push_seq_q <= 8'd0;
      push_status_q <= 8'd0;
      push_expected_q <= 8'd0;
      rq_q[0] <= 25'd0;
      rq_q[1] <= 25'd0;
      rq_wr_q <= 2'd0;
      rq_rd_q <= 2'd0;
      long_req_q <= 1'b0;
      long_kind_q <= K_EMPTY;
      long_seq_q <= 8'd0;
      long_len_q <= 9'd0;
      h_mem_q <= 8'd0;
      h_b1_q <= 8'd0;
      h_count_q <= 16'd0;
      h_addr_q <= 16'd0;
      h_addr_hi_q <= 1'b0;
      rb_ph_q <= 2'd0;
      rd_pos_q <= 9'd0;
      rd_end_q <= 9'd0;
      asm_q <= 48'd0;
      asm_b_q <= 3'd0;
      asm_wb_q <= 3'd1;
      word_full_q <= 1'b0;
      waddr_q <= 16'd0;
      mem_pending_q <= 1'b0;
      mem_id_q <= 4'd0;
      v_rec_left_q <= '0;
      v_steps_q <= 23'd0;
      rd_mem_q <= 4'd0;
      rd_addr_q <= 16'd0;
      rd_left_q <= 17'd0;
      rd_k_q <= 8'd0;
      rd_wb_q <= 3'd1;
      data_more_q <= 1'b0;
      snd_active_q <= 1'b0;
      snd_kind_q <= K_EMPTY;
      snd_status_q <= 8'd0;
      snd_expected_q <= 8'd0;
      snd_long_q <= 1'b0;
      snd_events_q <= 1'b0;
      sh_q <= 64'd0;
      sh_n_q <= 4'd0;
      pw_word_q <= 8'd0;
      src_wait_q <= 1'b0;
      src_wait2_q <= 1'b0;
      st_n_q <= 3'd0;
      ev_slot_q <= '0;
      ev_n_q <= 8'd0;
      pl_byte_q <= 8'd0;
      pl_have_q <= 1'b0;
      desc_pop <= 1'b0;
      buf_idx <= 8'd0;
      tx_start <= 1'b0;
      tx_type <= 8'd0;
      tx_seq <= 8'd0;
      tx_len <= 9'd0;
      st_lock <= 1'b0;
      cnt_crc <= 1'b0;
      cnt_frame_bad <= 1'b0;
      cnt_nack <= 1'b0;
      mem_valid_o <= 1'b0;
      mem_op_o <= OP_RD;
      ctl_run_o <= 1'b0;
      ctl_steps_o <= 32'd0;
      ctl_reset_o <= 1'b0;
      ctl_abort_o <= 1'b0;
      in_clear <= 1'b0;
      in_discard <= 1'b0;
      in_abort <= 1'b0;
      in_wvalid <= 1'b0;
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
      cnt_crc <= 1'b0;
      cnt_frame_bad <= 1'b0;
      cnt_nack <= 1'b0;

      // The owed OVERFLOW answer.
      if (overflow) overflow_owed_q <= 1'b1;
      if (in_pop) since_report_q <= (since_report_q == 10'h3ff) ? since_report_q : since_report_q + 1'b1;

      // Requests to the core are held until taken.
      if (ctl_run_o && ctl_ready_i) begin
        ctl_run_o <= 1'b0;
        started_q <= 1'b1;
      end
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
            case (rd_pos_q[2:0])
              3'd0: h_mem_q <= buf_byte;
              3'd1: h_b1_q <= buf_byte;
              3'd2: h_count_q[7:0] <= buf_byte;
              3'd3: h_count_q[15:8] <= buf_byte;
              3'd4: h_addr_q[7:0] <= buf_byte;
              3'd5: h_addr_q[15:8] <= buf_byte;
              default: if (buf_byte != 8'd0) h_addr_hi_q <= 1'b1;
            endcase
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
        pl_have_q <= 1'b0;
        sh_n_q <= 4'd0;
        pw_word_q <= 8'd0;
        src_wait_q <= 1'b0;
        src_wait2_q <= 1'b0;
        st_n_q <= 3'd0;
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
          cnt_nack <= rq_head[24];
          tx_start <= 1'b1;
          snd_active_q <= 1'b1;
        end else if (long_req_q) begin
          snd_kind_q <= long_kind_q;
          snd_long_q <= 1'b1;
          snd_events_q <= 1'b0;
          tx_type <= (long_kind_q == K_DATA) ? RSP_DATA : RSP_ACK;
          tx_seq <= long_seq_q;
          tx_len <= long_len_q;
          tx_start <= 1'b1;
          snd_active_q <= 1'b1;
        end else if (events_due) begin
          snd_kind_q <= K_EVENTS;
          snd_long_q <= 1'b0;
          snd_events_q <= 1'b1;
          ev_slot_q <= out_sent_slot;
          ev_n_q <= ev_take;
          since_report_q <= in_pop ? 10'd1 : 10'd0;
          tx_type <= RSP_EVENTS;
          tx_seq <= 8'd0;
          tx_len <= 9'd8 + {ev_take, 1'b0};
          tx_start <= 1'b1;
          snd_active_q <= 1'b1;
        end
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
          if (pl_ready) pl_have_q <= 1'b0;
        end else if (pl_index < tx_len && sh_n_q != 4'd0) begin
          pl_byte_q <= sh_q[7:0];
          pl_have_q <= 1'b1;
          sh_q <= {8'd0, sh_q[63:8]};
          sh_n_q <= sh_n_q - 1'b1;
          // The last byte of a word: the next one comes from the next word.
          if (sh_n_q == 4'd1 && pl_index >= 9'd8) pw_word_q <= pw_word_q + 1'b1;
        end else if (pump_need && status_counter) begin
          // A STATUS counter: the bytes come in low first, shifted in from the top.
          if (st_n_q != 3'd0) sh_q[31:0] <= {st_byte, sh_q[31:8]};
          if (st_rd) begin
            st_n_q <= st_n_q + 1'b1;
            st_lock <= 1'b1;
          end else if (st_n_q == 3'd4) begin
            st_n_q <= 3'd0;
            sh_n_q <= 4'd4;
            st_lock <= 1'b0;
          end
        end else if (pump_need && pump_load) begin
          sh_q <= pump_val;
          sh_n_q <= pump_n;
          src_wait_q <= 1'b0;
          src_wait2_q <= 1'b0;
        end else if (pump_need && st_rd) begin
          src_wait_q <= 1'b1;
        end else if (pump_need && pump_fetch && snd_kind_q == K_DATA && !mem_busy) begin
          mem_valid_o <= 1'b1;
          mem_op_o <= OP_RD;
          mem_id_q <= rd_mem_q;
          src_wait_q <= 1'b1;
        end else if (pump_need && pump_fetch && snd_kind_q == K_EVENTS) begin
          out_rd_index <= ev_slot_q + pw_word_q[OW-2:0];
          src_wait_q <= 1'b1;
        end
      end

      // ---- Engine.
      case (state_q)
        E_IDLE: begin
          if (run_over) begin
            end_run();
          end else if (overflow_owed_q && !overflow) begin
            overflow_owed_q <= 1'b0;
            answer(1'b1, expected_q, ST_OVERFLOW, expected_q);
          end else if (desc_here && desc_status != 2'd0) begin
            // A frame with a readable header that failed: answer it and drop it.
            cnt_crc <= desc_status == 2'd1;
            cnt_frame_bad <= desc_status != 2'd1;
            desc_pop <= 1'b1;
            answer(1'b1, desc_seq, (desc_status == 2'd1) ? ST_CRC : (desc_status == 2'd2) ? ST_LENGTH : ST_TIMEOUT,
                   expected_q);
          end else if (desc_here) begin
            h_mem_q <= 8'd0;
            h_b1_q <= 8'd0;
            h_count_q <= 16'd0;
            h_addr_q <= 16'd0;
            h_addr_hi_q <= 1'b0;
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
              answer_long(K_CAPS, desc_seq, 9'd64);
            end
            D_EVACK: begin
              // A good EVACK never gets here (the receiver hands it over at once); one with
              // another LEN is malformed and ignored without an answer.
              desc_pop <= 1'b1;
              state_q <= E_IDLE;
            end
            D_STATUS: begin
              desc_pop <= 1'b1;
              answer_long(K_STATUS, desc_seq, 9'd56);
            end
            D_RESET: begin
              desc_pop <= 1'b1;
              ctl_reset_o <= 1'b1;
              in_clear <= 1'b1;
              out_clear <= 1'b1;
              since_report_q <= 10'd0;
              push_seq_q <= desc_seq;
              state_q <= E_RESET;
            end
            D_WRITE: begin
              rd_pos_q <= 9'd8;
              rd_end_q <= desc_len;
              asm_q <= 48'd0;
              asm_b_q <= 3'd0;
              asm_wb_q <= h_wb;
              waddr_q <= h_addr_q;
              mem_id_q <= h_mem_q[3:0];
              state_q <= E_WCHECK;
            end
            D_READ: begin
              desc_pop <= 1'b1;
              rd_mem_q <= h_mem_q[3:0];
              rd_addr_q <= h_addr_q;
              rd_left_q <= {1'b0, h_count_q};
              rd_wb_q <= h_wb;
              rd_k_q <= 8'd0;
              data_more_q <= 1'b0;
              long_seq_q <= desc_seq;
              state_q <= E_READ;
            end
            D_RUN: begin
              // The run starts once its ACK (with the step counter at its start) has gone out;
              // input frames are taken meanwhile.
              desc_pop <= 1'b1;
              ctl_steps_o <= h_u32;
              cover_left_q <= h_u32;
              running_q <= 1'b1;
              started_q <= 1'b0;
              aborting_q <= 1'b0;
              rec_left_q <= '0;
              since_report_q <= 10'd0;
              in_clear <= 1'b1;
              out_clear <= 1'b1;
              answer_long(K_RUNACK, desc_seq, 9'd4);
            end
            D_INPUT: begin
              rd_pos_q <= 9'd0;
              rd_end_q <= desc_len;
              asm_q <= 48'd0;
              asm_b_q <= 3'd0;
              asm_wb_q <= 3'd2;
              v_rec_left_q <= rec_left_q;
              v_steps_q <= 23'd0;
              state_q <= E_ICHECK;
            end
            D_ABORT: begin
              desc_pop <= 1'b1;
              push_seq_q <= desc_seq;
              if (running_q && !started_q) begin
                // The core never took the run: call it off.
                ctl_run_o <= 1'b0;
                running_q <= 1'b0;
                in_discard <= 1'b1;
                out_flush <= 1'b1;
                answer(1'b0, desc_seq, 8'd0, expected_q + 1'b1);
              end else if (running_q) begin
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

        E_WCHECK, E_WCOMMIT: begin
          // Every word goes to the core, first as a check (nothing written; the first refusal
          // answers the frame with the core's status), then as a write.
          if (word_full_q && !mem_busy && !mem_rvalid_i) begin
            mem_valid_o <= 1'b1;
            mem_op_o <= (state_q == E_WCHECK) ? OP_CHECK : OP_WR;
          end else if (mem_rvalid_i && mem_pending_q) begin
            word_full_q <= 1'b0;
            waddr_q <= waddr_q + 1'b1;
            if (state_q == E_WCHECK && mem_status_i != 8'd0) begin
              desc_pop <= 1'b1;
              rd_end_q <= rd_pos_q;
              answer(1'b1, desc_seq, mem_status_i, expected_q);
            end
            // Keep the copies of the CONFIG registers the link checks against.
            if (state_q == E_WCOMMIT && mem_id_q == MEM_CONFIG && mem_status_i == 8'd0) begin
              case (waddr_q[2:0])
                3'd0: cfg_num_neurons_q <= asm_q[NeuronW:0];
                3'd1: cfg_num_axons_q <= asm_q[AxonW:0];
                3'd2: cfg_record_base_q <= asm_q[NeuronW:0];
                3'd3: cfg_record_count_q <= asm_q[NeuronW:0];
                default: ;
              endcase
            end
          end else if (rd_idle && !mem_busy) begin
            if (state_q == E_WCHECK) begin
              rd_pos_q <= 9'd8;
              waddr_q <= h_addr_q;
              state_q <= E_WCOMMIT;
            end else begin
              desc_pop <= 1'b1;
              answer(1'b0, desc_seq, 8'd0, expected_q);
            end
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
            if (cover_after[32]) begin
              // Records past the last step of the run.
              desc_pop <= 1'b1;
              answer(1'b1, desc_seq, ST_RANGE, expected_q);
            end else begin
              rd_pos_q <= 9'd0;
              state_q <= E_ICOMMIT;
            end
          end
        end

        E_ICOMMIT: begin
          if (word_full_q) begin
            word_full_q <= 1'b0;
            in_wvalid <= 1'b1;
          end else if (rd_idle) begin
            rec_left_q <= v_rec_left_q;
            cover_left_q <= cover_after[31:0];
            desc_pop <= 1'b1;
            answer(1'b0, desc_seq, 8'd0, expected_q);
          end
        end

        E_PUSH: begin
          if (!rq_full) begin
            rq_q[rq_wr_q[0]] <= {push_nack_q, push_seq_q, push_status_q, push_expected_q};
            rq_wr_q <= rq_wr_q + 1'b1;
            state_q <= E_IDLE;
          end
        end

        E_LONG: begin
          if (!long_req_q) begin
            if (long_kind_q == K_RUNACK) ctl_run_o <= 1'b1;
            state_q <= data_more_q ? E_READ : E_IDLE;
          end
        end

        E_READ: begin
          // The next DATA frame of the READ: min(words left, words per frame) words.
          if (data_more_q) rd_addr_q <= rd_addr_q + {8'd0, rd_k_q};
          if ({9'd0, h_per_frame} < rd_left_q) begin
            rd_k_q <= h_per_frame;
            rd_left_q <= rd_left_q - {9'd0, h_per_frame};
            data_more_q <= 1'b1;
            answer_long(K_DATA, long_seq_q, 9'd8 + 9'(h_per_frame * rd_wb_q));
          end else begin
            rd_k_q <= rd_left_q[7:0];
            rd_left_q <= 17'd0;
            data_more_q <= 1'b0;
            answer_long(K_DATA, long_seq_q, 9'd8 + 9'(rd_left_q[7:0] * rd_wb_q));
          end
        end

        E_RESET: begin
          if (!ctl_reset_o && !busy_i) answer(1'b0, push_seq_q, 8'd0, expected_q);
        end

        E_ABORT: begin
          // Answer once the run has ended (E_IDLE's bookkeeping does not run meanwhile).
          if (!running_q) begin
            answer(1'b0, push_seq_q, 8'd0, expected_q);
          end else if (run_over) begin
            end_run();
          end
        end

        default: state_q <= E_IDLE;
      endcase
    end
  end

endmodule

`default_nettype wire
