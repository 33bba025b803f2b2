// SPDX-License-Identifier: Apache-2.0
// Co-simulation harness of loci_core: reads co-simulation vector files (docs/formats/vectors.md),
// drives the Verilated core through its host interface exactly as a link would (memory port,
// input event stream, output event stream, run/reset control), and writes one trace file per
// vector file in the format the simulator writes. Many vector files run in one invocation on
// one model (a reset and a fresh image between cases), so a build serves hundreds of cases.
//
//   loci_core_cosim [--out-dir DIR] [--max-cycles N] [--seed N] [--list FILE] [FILE.vec ...]
//
// Exit status: 0 = every file ran (whether the traces match is the diff tool's business),
// 2 = bad usage, 3 = a malformed vector file, 4 = the core misbehaved (a run that never ends,
// a refused memory access, an output stream out of order).

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vloci_core.h"
#include "verilated.h"
#include "loci_core_map.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFormat = 3;
constexpr int kExitCore = 4;

// A failure that ends the harness with a message and an exit status.
struct Failure {
  int status;
  std::string message;
};

[[noreturn]] void fail(int status, const std::string& message) { throw Failure{status, message}; }

// ------------------------------------------------------------------------------------------
// Vector files.

enum class Op { Config, Learning, Param, Synapse, Fwd, Rev, List, Reset, Run, Dump, Weights, Ring, Counters };

struct Command {
  Op op;
  int line;
  std::vector<uint64_t> args;
  // Run: the axons of every step.
  std::vector<std::vector<uint32_t>> inputs;
};

struct Case {
  std::string path;
  std::string name;
  std::vector<Command> commands;
};

class Parser {
 public:
  Parser(const std::string& path) : path_(path) {}

  Case parse() {
    std::ifstream in(path_);
    if (!in) fail(kExitFormat, path_ + ": cannot open (" + std::strerror(errno) + ")");
    Case c;
    c.path = path_;
    std::string text;
    std::vector<std::string> lines;
    while (std::getline(in, text)) lines.push_back(text);
    size_t k = 0;
    bool header = false, ended = false;
    while (k < lines.size()) {
      line_ = static_cast<int>(k) + 1;
      std::vector<std::string> t = split(lines[k++]);
      if (t.empty() || t[0][0] == '#') continue;
      if (ended) error("text after `end`");
      if (!header) {
        if (t.size() != 2 || t[0] != "loci-vectors") error("the first line must be `loci-vectors 1`");
        if (t[1] != "1") error("version " + t[1] + " is not supported (this harness reads version 1)");
        header = true;
        continue;
      }
      const std::string& key = t[0];
      if (key == "case") {
        want(t, 2);
        c.name = t[1];
      } else if (key == "capacity") {
        want(t, 5);
        const long long cap[4] = {loci::NEURONS, loci::AXONS, loci::SYNAPSES, loci::MAX_FAN_IN};
        for (int i = 0; i < 4; i++) {
          if (static_cast<long long>(num(t[i + 1], 10, UINT32_MAX)) != cap[i]) {
            error("capacity " + t[1] + " " + t[2] + " " + t[3] + " " + t[4] + " does not match this RTL build (" +
                  std::to_string(loci::NEURONS) + " " + std::to_string(loci::AXONS) + " " +
                  std::to_string(loci::SYNAPSES) + " " + std::to_string(loci::MAX_FAN_IN) + ")");
          }
        }
      } else if (key == "config") {
        want(t, 5);
        add(c, Op::Config, {num(t[1], 10, loci::NEURONS), num(t[2], 10, loci::AXONS), num(t[3], 10, loci::NEURONS),
                            num(t[4], 10, loci::NEURONS)});
      } else if (key == "learning") {
        want(t, 2);
        add(c, Op::Learning, {num(t[1], 16, (1ULL << 49) - 1)});
      } else if (key == "param") {
        want(t, 3);
        add(c, Op::Param, {num(t[1], 10, loci::NEURONS - 1), num(t[2], 16, UINT32_MAX)});
      } else if (key == "synapse") {
        want(t, 3);
        add(c, Op::Synapse, {num(t[1], 10, loci::SYNAPSES - 1), num(t[2], 16, UINT32_MAX)});
      } else if (key == "fwd") {
        want(t, 4);
        add(c, Op::Fwd, {num(t[1], 10, loci::AXONS + loci::NEURONS - 1), num(t[2], 10, loci::SYNAPSES - 1),
                         num(t[3], 10, loci::SYNAPSES)});
      } else if (key == "rev") {
        want(t, 4);
        add(c, Op::Rev, {num(t[1], 10, loci::NEURONS - 1), num(t[2], 10, loci::SYNAPSES - 1), num(t[3], 10, loci::SYNAPSES)});
      } else if (key == "list") {
        want(t, 3);
        add(c, Op::List, {num(t[1], 10, loci::SYNAPSES - 1), num(t[2], 10, loci::SYNAPSES - 1)});
      } else if (key == "reset") {
        want(t, 1);
        add(c, Op::Reset, {});
      } else if (key == "run") {
        if (t.size() != 2 && t.size() != 3) error("`run` takes STEPS and an optional JITTER seed");
        uint64_t steps = num(t[1], 10, 1000000);
        uint64_t jitter = t.size() == 3 ? num(t[2], 10, UINT32_MAX) : 0;
        Command cmd{Op::Run, line_, {steps, jitter}, {}};
        for (uint64_t s = 0; s < steps; s++) {
          if (k >= lines.size()) error("`run " + t[1] + "` needs " + t[1] + " `in` lines, the file ends after " + std::to_string(s));
          line_ = static_cast<int>(k) + 1;
          std::vector<std::string> u = split(lines[k++]);
          if (u.empty() || u[0] != "in") error("expected `in COUNT AXON...` for step " + std::to_string(s) + " of the run");
          if (u.size() < 2) error("`in` needs a COUNT");
          uint64_t n = num(u[1], 10, loci::AXONS);
          if (u.size() != n + 2) error("`in " + u[1] + "` lists " + std::to_string(u.size() - 2) + " axons");
          std::vector<uint32_t> axons;
          for (uint64_t i = 0; i < n; i++) axons.push_back(static_cast<uint32_t>(num(u[i + 2], 10, loci::AXONS - 1)));
          cmd.inputs.push_back(axons);
        }
        c.commands.push_back(cmd);
      } else if (key == "dump") {
        want(t, 1);
        add(c, Op::Dump, {});
      } else if (key == "weights") {
        want(t, 2);
        add(c, Op::Weights, {num(t[1], 10, loci::SYNAPSES)});
      } else if (key == "ring") {
        want(t, 2);
        add(c, Op::Ring, {num(t[1], 10, loci::NEURONS)});
      } else if (key == "counters") {
        want(t, 1);
        add(c, Op::Counters, {});
      } else if (key == "end") {
        want(t, 1);
        ended = true;
      } else {
        error("unknown line `" + key + "` (see docs/formats/vectors.md)");
      }
    }
    line_ = static_cast<int>(lines.size());
    if (!header) error("empty file (the first line must be `loci-vectors 1`)");
    if (!ended) error("the file ends without `end` (truncated?)");
    if (c.name.empty()) error("no `case NAME` line");
    return c;
  }

 private:
  [[noreturn]] void error(const std::string& what) const {
    fail(kExitFormat, path_ + ":" + std::to_string(line_) + ": " + what);
  }

  static std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream is(s);
    std::string w;
    while (is >> w) out.push_back(w);
    return out;
  }

  void want(const std::vector<std::string>& t, size_t n) const {
    if (t.size() != n) error("`" + t[0] + "` takes " + std::to_string(n - 1) + " values, got " + std::to_string(t.size() - 1));
  }

  uint64_t num(const std::string& s, int base, uint64_t max) const {
    if (s.empty() || s.size() > 20) error("bad number `" + s + "`");
    for (char ch : s) {
      bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(ch)) != 0 : (ch >= '0' && ch <= '9');
      if (!ok) error("`" + s + "` is not a " + (base == 16 ? "hex" : "decimal") + " number");
    }
    errno = 0;
    uint64_t v = std::strtoull(s.c_str(), nullptr, base);
    if (errno != 0 || v > max) error("`" + s + "` is out of range (at most " + std::to_string(max) + ")");
    return v;
  }

  void add(Case& c, Op op, std::vector<uint64_t> args) const { c.commands.push_back(Command{op, line_, std::move(args), {}}); }

  std::string path_;
  int line_ = 0;
};

// ------------------------------------------------------------------------------------------
// The core, driven through its ports.

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  uint32_t next() {
    s_ ^= s_ << 13;
    s_ ^= s_ >> 7;
    s_ ^= s_ << 17;
    return static_cast<uint32_t>(s_ >> 11);
  }

 private:
  uint64_t s_;
};

// Throttle of one stream: open and blocked stretches of random length, so the queues fill
// and run dry and the core stalls on both sides.
class Throttle {
 public:
  explicit Throttle(uint64_t seed) : rng_(seed), on_(seed != 0) {}
  bool blocked() {
    if (!on_) return false;
    if (left_ == 0) {
      blocked_ = !blocked_;
      left_ = 1 + rng_.next() % (blocked_ ? 300 : 60);
    }
    left_--;
    return blocked_;
  }

 private:
  Rng rng_;
  bool on_;
  bool blocked_ = false;
  uint32_t left_ = 0;
};

class Core {
 public:
  explicit Core(VerilatedContext* ctx) : m_(new Vloci_core{ctx}) {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    idle_inputs();
    m_->eval();
    tick();
    tick();
    m_->rst_ni = 1;
    m_->eval();
    wait_done("power-up clear", 100000);
  }
  ~Core() { m_->final(); }

  uint64_t cycles() const { return cycles_; }

  // One clock: falling edge, then rising edge.
  void tick() {
    m_->clk_i = 0;
    m_->eval();
    m_->clk_i = 1;
    m_->eval();
    cycles_++;
  }

  // One host memory access; returns {status, data}.
  std::pair<int, uint64_t> access(int op, int id, uint32_t addr, uint64_t wdata) {
    m_->mem_op_i = op;
    m_->mem_id_i = id;
    m_->mem_addr_i = addr;
    m_->mem_wdata_i = wdata;
    m_->mem_valid_i = 1;
    m_->clk_i = 0;
    m_->eval();
    for (int i = 0; !m_->mem_ready_o; i++) {
      if (i > 1000) fail(kExitCore, "the memory port never became ready");
      tick();
      m_->clk_i = 0;
      m_->eval();
    }
    tick();
    m_->mem_valid_i = 0;
    for (int i = 0; i < 100; i++) {
      m_->clk_i = 0;
      m_->eval();
      if (m_->mem_rvalid_o) {
        int status = m_->mem_status_o;
        uint64_t data = m_->mem_rdata_o;
        tick();
        return {status, data};
      }
      tick();
    }
    fail(kExitCore, "the memory port never answered");
  }

  uint64_t read(int id, uint32_t addr, const std::string& what) {
    auto [status, data] = access(loci::MEM_OP_READ, id, addr, 0);
    if (status != loci::STATUS_OK) fail(kExitCore, what + ": read of memory " + std::to_string(id) + " address " + std::to_string(addr) + " refused with status " + std::to_string(status));
    return data;
  }

  void write(int id, uint32_t addr, uint64_t value, const std::string& what) {
    auto [status, data] = access(loci::MEM_OP_WRITE, id, addr, value);
    (void)data;
    if (status != loci::STATUS_OK) fail(kExitCore, what + ": write of memory " + std::to_string(id) + " address " + std::to_string(addr) + " refused with status " + std::to_string(status));
  }

  void reset(const std::string& what) {
    m_->ctl_reset_i = 1;
    m_->clk_i = 0;
    m_->eval();
    if (!m_->ctl_ready_o) fail(kExitCore, what + ": the core is not ready for a reset");
    tick();
    m_->ctl_reset_i = 0;
    wait_done(what, 100000);
  }

  struct StepOut {
    uint64_t cycles = 0;
    std::vector<uint32_t> spikes;
  };

  // Run `inputs.size()` steps, streaming inputs and draining outputs with optional jitter.
  std::vector<StepOut> run(const std::vector<std::vector<uint32_t>>& inputs, uint64_t jitter, uint64_t max_cycles,
                           uint64_t first_step, const std::string& what) {
    const size_t steps = inputs.size();
    std::vector<StepOut> out(steps);
    // Input words: axons of a step, then its end-of-step marker.
    std::vector<std::pair<bool, uint32_t>> words;
    for (const auto& step : inputs) {
      for (uint32_t a : step) words.push_back({false, a});
      words.push_back({true, 0});
    }
    Throttle in_throttle(jitter), out_throttle(jitter * 3 + 1 > 1 ? jitter * 3 + 1 : 0);
    size_t next_word = 0, cycles_seen = 0, step_out = 0;
    bool started = false, done = false;
    m_->ctl_run_i = 1;
    m_->ctl_steps_i = static_cast<uint32_t>(steps);
    const uint64_t start = cycles_;
    while (!done || step_out < steps) {
      if (cycles_ - start > max_cycles) {
        fail(kExitCore, what + ": the run did not finish within " + std::to_string(max_cycles) + " clocks (" +
                            std::to_string(cycles_seen) + " of " + std::to_string(steps) + " steps done, " +
                            std::to_string(next_word) + " of " + std::to_string(words.size()) + " input words taken)");
      }
      bool gate_in = in_throttle.blocked();
      bool gate_out = out_throttle.blocked();
      m_->in_valid_i = next_word < words.size() && !gate_in;
      if (next_word < words.size()) {
        m_->in_eos_i = words[next_word].first;
        m_->in_axon_i = words[next_word].second;
      }
      m_->out_ready_i = !gate_out;
      m_->clk_i = 0;
      m_->eval();
      if (!started && !m_->ctl_ready_o) fail(kExitCore, what + ": the core is not ready for a run");
      bool in_fire = m_->in_valid_i && m_->in_ready_o;
      bool out_fire = m_->out_valid_o && m_->out_ready_i;
      if (out_fire) {
        // Events belong to the step after the markers taken so far.
        if (step_out >= steps) {
          fail(kExitCore, what + ": an output event after the last step's marker (step " +
                              std::to_string(first_step + step_out) + ")");
        }
        if (m_->out_eos_o) {
          step_out++;
        } else {
          auto& sp = out[step_out].spikes;
          if (!sp.empty() && m_->out_neuron_o <= sp.back()) {
            fail(kExitCore, what + ": spikes of step " + std::to_string(first_step + step_out) + " out of order (" +
                                std::to_string(m_->out_neuron_o) + " after " + std::to_string(sp.back()) + ")");
          }
          sp.push_back(m_->out_neuron_o);
        }
      }
      tick();
      if (!started) {
        started = true;
        m_->ctl_run_i = 0;
      }
      if (in_fire) next_word++;
      if (m_->step_done_o) {
        if (cycles_seen >= steps) fail(kExitCore, what + ": more steps completed than requested");
        out[cycles_seen++].cycles = m_->step_cycles_o;
      }
      if (m_->done_o) done = true;
    }
    m_->in_valid_i = 0;
    m_->out_ready_i = 0;
    if (cycles_seen != steps) fail(kExitCore, what + ": " + std::to_string(cycles_seen) + " step-done pulses for " + std::to_string(steps) + " steps");
    if (next_word != words.size()) fail(kExitCore, what + ": the core took " + std::to_string(next_word) + " of " + std::to_string(words.size()) + " input words");
    return out;
  }

 private:
  void idle_inputs() {
    m_->ctl_run_i = 0;
    m_->ctl_steps_i = 0;
    m_->ctl_reset_i = 0;
    m_->ctl_abort_i = 0;
    m_->mem_valid_i = 0;
    m_->mem_op_i = 0;
    m_->mem_id_i = 0;
    m_->mem_addr_i = 0;
    m_->mem_wdata_i = 0;
    m_->in_valid_i = 0;
    m_->in_eos_i = 0;
    m_->in_axon_i = 0;
    m_->out_ready_i = 0;
  }

  void wait_done(const std::string& what, uint64_t limit) {
    for (uint64_t i = 0; i < limit; i++) {
      tick();
      if (m_->done_o) return;
    }
    fail(kExitCore, what + ": the core did not finish within " + std::to_string(limit) + " clocks");
  }

  std::unique_ptr<Vloci_core> m_;
  uint64_t cycles_ = 0;
};

int64_t sign_extend(uint64_t v, int bits) {
  uint64_t m = 1ULL << (bits - 1);
  v &= (1ULL << bits) - 1;
  return static_cast<int64_t>(v ^ m) - static_cast<int64_t>(m);
}

uint64_t field(uint64_t word, int lsb, int width) { return (word >> lsb) & ((1ULL << width) - 1); }

// ------------------------------------------------------------------------------------------
// One case: program, run, trace.

// Clocks and wall time spent inside runs (not programming or reading back), all cases.
uint64_t g_run_clocks = 0;
double g_run_seconds = 0.0;

void run_case(Core& core, const Case& c, const std::string& out_path, uint64_t max_cycles) {
  std::ostringstream tr;
  tr << "loci-trace 1\ncase " << c.name << "\n";
  uint64_t num_neurons = 1, num_axons = 0;
  for (const Command& cmd : c.commands) {
    const std::string what = c.path + ":" + std::to_string(cmd.line);
    const auto& a = cmd.args;
    switch (cmd.op) {
      case Op::Config:
        num_neurons = a[0];
        num_axons = a[1];
        core.write(loci::MEM_CONFIG, loci::CONFIG_NUM_NEURONS, a[0], what);
        core.write(loci::MEM_CONFIG, loci::CONFIG_NUM_AXONS, a[1], what);
        core.write(loci::MEM_CONFIG, loci::CONFIG_RECORD_BASE, a[2], what);
        core.write(loci::MEM_CONFIG, loci::CONFIG_RECORD_COUNT, a[3], what);
        break;
      case Op::Learning:
        core.write(loci::MEM_CONFIG, loci::CONFIG_LEARNING_LOW, a[0] & 0xffffffffULL, what);
        core.write(loci::MEM_CONFIG, loci::CONFIG_LEARNING_HIGH, a[0] >> 32, what);
        break;
      case Op::Param:
        core.write(loci::MEM_PARAMS, static_cast<uint32_t>(a[0]), a[1], what);
        break;
      case Op::Synapse:
        core.write(loci::MEM_SYNAPSES, static_cast<uint32_t>(a[0]), a[1], what);
        break;
      case Op::Fwd:
      case Op::Rev:
        core.write(cmd.op == Op::Fwd ? loci::MEM_FANOUT_PTR : loci::MEM_FANIN_PTR, static_cast<uint32_t>(a[0]),
                   a[1] | (a[2] << loci::PTR_HALF_W), what);
        break;
      case Op::List:
        core.write(loci::MEM_FANIN_LIST, static_cast<uint32_t>(a[0]), a[1], what);
        break;
      case Op::Reset:
        core.reset(what);
        break;
      case Op::Run: {
        uint64_t first = core.read(loci::MEM_COUNTERS, loci::COUNTER_STEPS, what);
        const uint64_t clocks0 = core.cycles();
        const auto t0 = std::chrono::steady_clock::now();
        auto steps = core.run(cmd.inputs, a[1], max_cycles, first, what);
        g_run_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        g_run_clocks += core.cycles() - clocks0;
        for (size_t s = 0; s < steps.size(); s++) {
          tr << "S " << (first + s) << " " << steps[s].cycles << " " << steps[s].spikes.size();
          for (uint32_t j : steps[s].spikes) tr << " " << j;
          tr << "\n";
        }
        break;
      }
      case Op::Dump: {
        uint64_t step = core.read(loci::MEM_COUNTERS, loci::COUNTER_STEPS, what);
        std::vector<uint64_t> state;
        for (uint64_t j = 0; j < num_neurons; j++) state.push_back(core.read(loci::MEM_STATE, static_cast<uint32_t>(j), what));
        tr << "D " << step << "\n";
        const char* keys[4] = {"V", "I", "R", "T"};
        const int lsb[4] = {loci::STATE_MEMBRANE_LSB, loci::STATE_CURRENT_LSB, loci::STATE_REFRACTORY_COUNT_LSB, loci::STATE_TRACE_LSB};
        const int width[4] = {loci::STATE_MEMBRANE_W, loci::STATE_CURRENT_W, loci::STATE_REFRACTORY_COUNT_W, loci::STATE_TRACE_W};
        for (int f = 0; f < 4; f++) {
          tr << keys[f];
          for (uint64_t w : state) {
            uint64_t v = field(w, lsb[f], width[f]);
            if (f < 2) tr << " " << sign_extend(v, width[f]);
            else tr << " " << v;
          }
          tr << "\n";
        }
        tr << "A";
        for (uint64_t x = 0; x < num_axons; x++) tr << " " << core.read(loci::MEM_AXON_TRACE, static_cast<uint32_t>(x), what);
        tr << "\n";
        break;
      }
      case Op::Weights:
        tr << "W";
        for (uint64_t k = 0; k < a[0]; k++) {
          tr << " " << sign_extend(core.read(loci::MEM_WEIGHTS, static_cast<uint32_t>(k), what), loci::SYN_WEIGHT_W);
        }
        tr << "\n";
        break;
      case Op::Ring:
        tr << "G";
        for (uint64_t k = 0; k < a[0] * 16; k++) {
          tr << " " << sign_extend(core.read(loci::MEM_RING, static_cast<uint32_t>(k), what), loci::MEM_RING_BITS);
        }
        tr << "\n";
        break;
      case Op::Counters: {
        const int order[7] = {loci::COUNTER_STEPS,          loci::COUNTER_CYCLES,          loci::COUNTER_LAST_STEP_CYCLES,
                              loci::COUNTER_SPIKES,         loci::COUNTER_INPUT_EVENTS,    loci::COUNTER_SYNAPTIC_EVENTS,
                              loci::COUNTER_OUTPUT_EVENTS};
        tr << "C";
        for (int k : order) tr << " " << core.read(loci::MEM_COUNTERS, static_cast<uint32_t>(k), what);
        tr << "\n# stall " << core.read(loci::MEM_COUNTERS, loci::COUNTER_STALL_CYCLES, what) << "\n";
        break;
      }
    }
  }
  tr << "end\n";
  std::ofstream out(out_path, std::ios::trunc);
  if (!out) fail(kExitUsage, out_path + ": cannot write (" + std::strerror(errno) + ")");
  out << tr.str();
  if (!out) fail(kExitUsage, out_path + ": write failed");
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string b = slash == std::string::npos ? path : path.substr(slash + 1);
  if (b.size() > 4 && b.compare(b.size() - 4, 4, ".vec") == 0) b = b.substr(0, b.size() - 4);
  return b;
}

void usage_error(const std::string& what) {
  fail(kExitUsage, what + "\nusage: loci_core_cosim [--out-dir DIR] [--max-cycles N] [--seed N] [--list FILE] [FILE.vec ...]");
}

uint64_t parse_count(const std::string& flag, const char* value) {
  if (value == nullptr) usage_error(flag + " needs a value");
  std::string s(value);
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18) usage_error(flag + " must be a non-negative integer, got `" + s + "`");
  return std::strtoull(value, nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string out_dir = ".";
    uint64_t max_cycles = 0;  // 0 = derived from the run length
    uint64_t seed = 1;
    std::vector<std::string> files;
    for (int i = 1; i < argc; i++) {
      std::string arg = argv[i];
      const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
      if (arg == "--out-dir") {
        if (next == nullptr) usage_error("--out-dir needs a value");
        out_dir = next;
        i++;
      } else if (arg == "--max-cycles") {
        max_cycles = parse_count(arg, next);
        i++;
      } else if (arg == "--seed") {
        seed = parse_count(arg, next);
        i++;
      } else if (arg == "--list") {
        if (next == nullptr) usage_error("--list needs a file");
        std::ifstream list(next);
        if (!list) usage_error(std::string(next) + ": cannot open the list (" + std::strerror(errno) + ")");
        std::string line;
        while (std::getline(list, line)) {
          if (!line.empty() && line[0] != '#') files.push_back(line);
        }
        i++;
      } else if (arg.rfind("--", 0) == 0) {
        usage_error("unknown option " + arg);
      } else {
        files.push_back(arg);
      }
    }
    if (files.empty()) usage_error("no vector files given");
    // Parse everything first: a malformed file stops the run before any simulation.
    std::vector<Case> cases;
    for (const std::string& f : files) cases.push_back(Parser(f).parse());

    auto ctx = std::make_unique<VerilatedContext>();
    std::string seed_arg = "+verilator+seed+" + std::to_string(seed % 2147483647 + 1);
    const char* vargs[] = {"loci_core_cosim", "+verilator+rand+reset+2", seed_arg.c_str()};
    ctx->commandArgs(3, vargs);
    Core core(ctx.get());
    for (const Case& c : cases) {
      uint64_t steps = 0;
      for (const Command& cmd : c.commands) {
        if (cmd.op == Op::Run) steps += cmd.args[0];
      }
      uint64_t budget = max_cycles != 0 ? max_cycles : 2000000 + 400000 * steps;
      run_case(core, c, out_dir + "/" + base_name(c.path) + ".trace", budget);
    }
    std::printf("{\"cases\": %zu, \"clocks\": %" PRIu64 ", \"runClocks\": %" PRIu64 ", \"runSeconds\": %.6f}\n", cases.size(),
                core.cycles(), g_run_clocks, g_run_seconds);
    return 0;
  } catch (const Failure& f) {
    std::fprintf(stderr, "loci_core_cosim: %s\n", f.message.c_str());
    return f.status;
  }
}
