// SPDX-License-Identifier: Apache-2.0
// The virtual board: a Verilated board top (UART included, at bit level) bridged to a
// pseudo-terminal. Bytes a host writes to the pty are shifted into the top's RX pin at the
// configured baud, in simulated clock cycles; the top's TX pin is decoded back into bytes
// for the pty. The host's real driver talks to the real RTL through a real serial port.
//
//   loci-virtual-board [--baud B] [--clock-hz F] [--pace free|realtime] [--link PATH] [--vcd FILE]
//                      [--no-idle-skip]
//   (--clock F and --realtime are accepted as spellings of --clock-hz F and --pace realtime.)
//
// Prints exactly one line `LOCI-VIRTUAL-BOARD pty=/dev/pts/N baud=B clock=F` on stdout, then
// runs until SIGTERM/SIGINT or until stdin closes, and exits 0. Statistics go to stderr: one
// `LOCI-VIRTUAL-BOARD-STATS ...` line on SIGUSR1 and one at exit (docs/board.md).
//
// Time. The design advances in simulated clock cycles (cycle / clock-hz seconds); the
// simulated clock runs on while the board waits for the host:
//  - While the board is busy (a character on either line, a frame being decoded or executed,
//    the core running) every cycle is simulated, as fast as the host CPU allows (`free`), or
//    never ahead of the wall clock (`realtime`).
//  - While it is idle (the top's `board_idle`: nothing changes but the free-running uptime
//    counter) simulating cycles would change nothing, so the harness fast-forwards instead:
//    the wall time the idle period lasted, times clock-hz, is added to the cycle count and to
//    the RTL's uptime counter (STATUS.uptimeCycles). In `realtime` the cycle count jumps to
//    the wall clock. So time the host spends turning around counts as idle line time in the
//    board's own clock, as on a real board, and an idle virtual board costs no CPU.
//  --no-idle-skip simulates every idle cycle instead (slow; to check the fast-forward).

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <poll.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "Vboard.h"
#include "Vboard___024root.h"
#include "verilated.h"
#include "verilated_vcd_c.h"

#include "pty_port.h"
#include "uart_model.h"

#ifndef LOCI_VB_CLOCK_HZ
#error "build with -DLOCI_VB_CLOCK_HZ=<the top's ClkHz>"
#endif
#ifndef LOCI_VB_BAUD
#error "build with -DLOCI_VB_BAUD=<the top's Baud>"
#endif
#ifndef LOCI_VB_IDLE
#error "build with -DLOCI_VB_IDLE=<Verilator name of the top's board_idle signal>"
#endif

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_stats = 0;

void on_stop(int) { g_stop = 1; }
void on_stats(int) { g_stats = 1; }

struct Options {
  uint64_t baud = LOCI_VB_BAUD;
  uint64_t clock_hz = LOCI_VB_CLOCK_HZ;
  bool realtime = false;
  bool idle_skip = true;
  std::string link;
  std::string vcd;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "loci-virtual-board: %s\n"
               "usage: loci-virtual-board [--baud B] [--clock-hz F] [--pace free|realtime] [--link PATH] [--vcd FILE]\n"
               "                          [--no-idle-skip]\n"
               "this build: --baud %llu --clock-hz %llu\n",
               why.c_str(), static_cast<unsigned long long>(LOCI_VB_BAUD),
               static_cast<unsigned long long>(LOCI_VB_CLOCK_HZ));
  std::exit(2);
}

uint64_t parse_u64(const std::string& name, const char* text) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v == 0) usage(name + " needs a positive integer, got \"" + text + "\"");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--baud") o.baud = parse_u64(a, value());
    else if (a == "--clock-hz" || a == "--clock") o.clock_hz = parse_u64(a, value());
    else if (a == "--realtime") o.realtime = true;
    else if (a == "--no-idle-skip") o.idle_skip = false;
    else if (a == "--pace") {
      std::string p = value();
      if (p == "realtime") o.realtime = true;
      else if (p == "free") o.realtime = false;
      else usage("--pace must be realtime or free, got \"" + p + "\"");
    } else if (a == "--link") o.link = value();
    else if (a == "--vcd") o.vcd = value();
    else if (a == "--help" || a == "-h") usage("help");
    else usage("unknown argument \"" + a + "\"");
  }
  // The RTL's divider is fixed when the design is built; a different rate would only garble.
  if (o.baud != LOCI_VB_BAUD || o.clock_hz != LOCI_VB_CLOCK_HZ) {
    usage("this build runs at --baud " + std::to_string(LOCI_VB_BAUD) + " --clock-hz " +
          std::to_string(LOCI_VB_CLOCK_HZ) + "; rebuild the virtual board for other rates");
  }
  return o;
}

// The Verilated top and its clock, with optional waveform dump.
class Board {
 public:
  Board(const Options& o) : top_(std::make_unique<Vboard>()) {
    period_ps_ = 1'000'000'000'000ull / o.clock_hz;
    if (!o.vcd.empty()) {
      Verilated::traceEverOn(true);
      vcd_ = std::make_unique<VerilatedVcdC>();
      top_->trace(vcd_.get(), 99);
      vcd_->open(o.vcd.c_str());
    }
    top_->clk_osc_i = 0;
    top_->btn_ni = 1;
    top_->uart_rx_i = 1;
    top_->eval();
  }
  ~Board() {
    if (vcd_) vcd_->close();
    top_->final();
  }

  // One clock cycle: RX level applied before the rising edge; TX level after it.
  int cycle(uint64_t n, int rx_level) {
    top_->uart_rx_i = rx_level & 1;
    top_->clk_osc_i = 1;
    top_->eval();
    if (vcd_) vcd_->dump(n * period_ps_);
    int tx = top_->uart_tx_o;
    top_->clk_osc_i = 0;
    top_->eval();
    if (vcd_) vcd_->dump(n * period_ps_ + period_ps_ / 2);
    return tx;
  }

  bool idle() const { return top_->rootp->LOCI_VB_IDLE != 0; }

  // Account for `n` idle cycles that were not simulated: the only register an idle cycle
  // changes is the free-running uptime counter (when the top has one).
  void skip_idle(uint64_t n) {
#ifdef LOCI_VB_UPTIME
    top_->rootp->LOCI_VB_UPTIME += n;
#else
    (void)n;
#endif
  }

 private:
  std::unique_ptr<Vboard> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
  uint64_t period_ps_;
};

struct Stats {
  uint64_t rx_bytes = 0;  // host -> board
  uint64_t tx_bytes = 0;  // board -> host
  double max_lag_s = 0.0;
};

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  Options opt = parse(argc, argv);

  std::signal(SIGTERM, on_stop);
  std::signal(SIGINT, on_stop);
  std::signal(SIGUSR1, on_stats);
  std::signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<loci::PtyPort> pty;
  try {
    pty = std::make_unique<loci::PtyPort>();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loci-virtual-board: cannot create a pseudo-terminal: %s\n", e.what());
    return 1;
  }
  if (!opt.link.empty()) {
    struct stat st;
    if (lstat(opt.link.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) unlink(opt.link.c_str());
    if (symlink(pty->path().c_str(), opt.link.c_str()) != 0) {
      std::fprintf(stderr, "loci-virtual-board: cannot create link %s: %s\n", opt.link.c_str(), std::strerror(errno));
      return 1;
    }
  }

  Board board(opt);
  loci::UartLineDriver driver(opt.clock_hz, opt.baud);
  loci::UartLineMonitor monitor(opt.clock_hz, opt.baud);
  std::deque<uint8_t> to_host;
  Stats stats;

  std::printf("LOCI-VIRTUAL-BOARD pty=%s baud=%llu clock=%llu\n", pty->path().c_str(),
              static_cast<unsigned long long>(opt.baud), static_cast<unsigned long long>(opt.clock_hz));
  std::fflush(stdout);

  const auto t0 = std::chrono::steady_clock::now();
  auto wall_s = [&]() { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  auto wall_cycles = [&]() { return static_cast<uint64_t>(wall_s() * static_cast<double>(opt.clock_hz)); };
  uint64_t cycle = 0;        // simulated cycles so far, skipped idle cycles included
  uint64_t simulated = 0;    // cycles actually evaluated
  // Wall time at which the current idle period began (< 0: busy).
  double idle_since = -1.0;
  // Simulated time a skip ending now would reach (an idle period is accounted when it ends).
  auto cycles_now = [&]() -> uint64_t {
    if (idle_since < 0) return cycle;
    uint64_t target = opt.realtime ? wall_cycles()
                                   : cycle + static_cast<uint64_t>((wall_s() - idle_since) * static_cast<double>(opt.clock_hz));
    return std::max(cycle, target);
  };
  auto print_stats = [&]() {
    uint64_t cycles = cycles_now();
    double sim_s = static_cast<double>(cycles) / static_cast<double>(opt.clock_hz);
    std::fprintf(stderr,
                 "LOCI-VIRTUAL-BOARD-STATS cycles=%llu simulated_cycles=%llu sim_s=%.6f wall_s=%.6f max_lag_s=%.6f "
                 "rx_bytes=%llu tx_bytes=%llu rx_busy_cycles=%llu tx_busy_cycles=%llu tx_framing_errors=%llu pace=%s\n",
                 static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(simulated), sim_s, wall_s(),
                 stats.max_lag_s, static_cast<unsigned long long>(stats.rx_bytes),
                 static_cast<unsigned long long>(stats.tx_bytes), static_cast<unsigned long long>(driver.busy_cycles()),
                 static_cast<unsigned long long>(monitor.busy_cycles()),
                 static_cast<unsigned long long>(monitor.framing_errors()), opt.realtime ? "realtime" : "free");
    std::fflush(stderr);
  };
  // True when stdin has reached end of file (the parent is gone); drains anything written.
  auto stdin_closed = [&](int timeout_ms, short extra_events, int extra_fd) {
    struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {extra_fd, extra_events, 0}};
    int r = poll(fds, extra_fd >= 0 ? 2 : 1, timeout_ms);
    if (r > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      uint8_t sink[256];
      ssize_t n = read(STDIN_FILENO, sink, sizeof sink);
      if (n <= 0) return true;
    }
    return false;
  };

  // At most this many host bytes wait inside the harness; beyond it the pty's own buffer
  // fills and the host's writes block, as they would on a real port.
  constexpr size_t kMaxQueued = 4096;
  // Cycles simulated between looks at the pty, the signals and the wall clock.
  constexpr uint64_t kBatch = 2048;
  uint8_t buf[4096];

  while (!g_stop) {
    if (g_stats) {
      g_stats = 0;
      print_stats();
    }
    // Host -> harness.
    auto& q = driver.queue();
    if (q.size() < kMaxQueued) {
      size_t n = pty->read_some(buf, kMaxQueued - q.size());
      q.insert(q.end(), buf, buf + n);
      stats.rx_bytes += n;
    }
    // Harness -> host.
    while (!to_host.empty()) {
      size_t len = 0;
      for (auto it = to_host.begin(); it != to_host.end() && len < sizeof buf; ++it) buf[len++] = *it;
      size_t n = pty->write_some(buf, len);
      to_host.erase(to_host.begin(), to_host.begin() + static_cast<long>(n));
      if (n < len) break;
    }

    bool idle = opt.idle_skip && driver.idle() && monitor.idle() && board.idle();
    if (idle) {
      if (idle_since < 0) idle_since = wall_s();
      // Sleep until the host writes, can take more output, stdin closes, or a signal.
      short events = static_cast<short>(POLLIN | (to_host.empty() ? 0 : POLLOUT));
      if (stdin_closed(50, events, pty->fd())) break;
      continue;
    }
    if (idle_since >= 0) {
      // The idle period is over: account for it in simulated time.
      uint64_t target = cycles_now();
      if (target > cycle) {
        board.skip_idle(target - cycle);
        cycle = target;
      }
      idle_since = -1.0;
    }

    uint64_t batch = kBatch;
    if (opt.realtime) {
      uint64_t now = wall_cycles();
      if (cycle >= now) {
        if (stdin_closed(1, 0, -1)) break;
        continue;
      }
      double lag = static_cast<double>(now - cycle) / static_cast<double>(opt.clock_hz);
      if (lag > stats.max_lag_s) stats.max_lag_s = lag;
      batch = std::min(batch, now - cycle);
    }
    for (uint64_t i = 0; i < batch; i++, cycle++) {
      int tx = board.cycle(cycle, driver.level(cycle));
      uint8_t byte;
      if (monitor.sample(cycle, tx, byte)) {
        to_host.push_back(byte);
        stats.tx_bytes++;
      }
    }
    simulated += batch;
    if (stdin_closed(0, 0, -1)) break;
  }

  print_stats();
  if (!opt.link.empty()) {
    char target[4096];
    ssize_t n = readlink(opt.link.c_str(), target, sizeof target - 1);
    if (n > 0) {
      target[n] = '\0';
      if (pty->path() == target) unlink(opt.link.c_str());
    }
  }
  return 0;
}
