#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Brian2 peer of bench/sim.bench.ts: the same 1,000-neuron, fan-out-64 network (delays 1..16
# steps) and the same drive stimulus, run in Brian2, timing the run phase only (code generation
# and compilation excluded). Reads the workload JSON written by sim.bench.ts; the last line it
# prints is JSON with the per-level timings and event counts.
#
#   /usr/bin/python3 bench/brian2-sim.py workload.json [cython|cpp_standalone] [repeats] [cpu|wall]
#
# Timing: cython (and numpy) runs are timed around `net.run` after a one-step warm-up run that
# compiles every code object; "cpu" (default) uses the process CPU time, which other load on the
# machine does not inflate. cpp_standalone reports the run loop's time measured inside the
# compiled binary with std::clock() (CPU time without OpenMP; compilation excluded); its repeats
# re-run the compiled binary.
#
# Model: v and I per neuron (dv/dt = (I - v)/tau_m, dI/dt = -I/tau_s, exact integration), the
# recurrent synapses add a tiny weight to I (never enough to fire), each drive spike adds 2 to v
# of its neuron (always fires at threshold 1). So, as in the Loci workload, the neurons that fire
# are exactly the driven ones and the synaptic events are spikes x 64 + input events.
import json
import os
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")


def main():
    path = sys.argv[1]
    target = sys.argv[2] if len(sys.argv) > 2 else "cython"
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    clock = sys.argv[4] if len(sys.argv) > 4 else "cpu"  # "cpu": process CPU time; "wall": elapsed time
    with open(path) as f:
        work = json.load(f)

    import numpy as np
    import brian2 as b2
    from brian2 import ms

    b2.BrianLogger.suppress_hierarchy("brian2")
    b2.prefs.logging.console_log_level = "ERROR"
    n = work["neurons"]
    pre = np.asarray(work["pre"], dtype=np.int32)
    post = np.asarray(work["post"], dtype=np.int32)
    delays = np.asarray(work["delay"], dtype=np.float64)
    fan_out = work["fanOut"]
    out = {"target": target, "brian2": b2.__version__, "levels": []}

    if target == "cpp_standalone":
        build_dir = tempfile.mkdtemp(prefix="loci-brian2-")
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    else:
        b2.prefs.codegen.target = target

    for level in work["levels"]:
        steps = level["steps"]
        best = None
        attempts = 1 if target == "cpp_standalone" else repeats
        for _ in range(attempts):
            if target == "cpp_standalone":
                b2.device.reinit()
                b2.device.activate(directory=build_dir, build_on_run=False)
            b2.start_scope()
            b2.defaultclock.dt = 1 * ms
            dt = b2.defaultclock.dt
            eqs = """
            dv/dt = (I - v) / tau_m : 1
            dI/dt = -I / tau_s : 1
            """
            namespace = {"tau_m": 1.4427 * ms, "tau_s": 1 * ms}
            group = b2.NeuronGroup(n, eqs, threshold="v > 1", reset="v = 0", method="exact", namespace=namespace)
            rec = b2.Synapses(group, group, "w : 1", on_pre="I_post += w")
            rec.connect(i=pre, j=post)
            rec.w = 1e-4
            rec.delay = (delays - 1) * dt  # + the one step the schedule below adds = d steps
            # Stimulus step k is delivered at time (k + 1) dt: step 0 of the run is a warm-up
            # step that triggers code generation and compilation before timing (cython).
            ind = np.asarray(level["indices"], dtype=np.int32)
            times = (np.asarray(level["steps_of"], dtype=np.float64) + 1) * dt
            gen = b2.SpikeGeneratorGroup(n, ind, times)
            drive = b2.Synapses(gen, group, on_pre="v_post += 2")
            drive.connect(j="i")
            drive.delay = 0 * dt  # + one step from the schedule = 1 step, as the Loci drive synapse
            mon = b2.SpikeMonitor(group, record=False)
            gmon = b2.SpikeMonitor(gen, record=False)
            net = b2.Network(group, rec, gen, drive, mon, gmon)
            # Synaptic effects first, as in the Loci core (a spike at step t changes its targets in
            # phase A of step t + d). In this order a spike emitted at step t is propagated at step
            # t + 1, so Brian2 delays are set to d - 1: every arrival step equals the Loci one, a
            # drive spike fires its neuron one step later, and both sides count the same events.
            net.schedule = ["start", "synapses", "groups", "thresholds", "resets", "end"]
            if target == "cpp_standalone":
                net.run(dt + steps * dt, namespace=namespace)
                b2.device.build(directory=build_dir, compile=True, run=True, debug=False)
                # The run loop's time, measured inside the binary with std::clock() (CPU time;
                # compilation excluded). Re-running the compiled binary gives the repeats.
                times_run = [b2.device._last_run_time]
                for _ in range(repeats - 1):
                    b2.device.run(build_dir, False, [])
                    times_run.append(b2.device._last_run_time)
                seconds = min(times_run)
            else:
                net.run(dt, namespace=namespace)  # warm-up: compiles every code object
                t0 = time.perf_counter()
                c0 = time.process_time()
                net.run(steps * dt, namespace=namespace)
                cpu = time.process_time() - c0
                wall = time.perf_counter() - t0
                seconds = cpu if clock == "cpu" else wall
            spikes = int(mon.num_spikes)
            inputs = int(gmon.num_spikes)
            events = spikes * fan_out + inputs
            if best is None or seconds < best["seconds"]:
                best = {"name": level["name"], "fraction": level["fraction"], "steps": steps, "seconds": seconds,
                        "spikes": spikes, "inputEvents": inputs, "synapticEvents": events,
                        "eventsPerSecond": events / seconds}
        out["levels"].append(best)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
