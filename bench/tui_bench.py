#!/usr/bin/env python3
"""TUI benchmarks for `make bench`, all driven in tmux (LANG=C.UTF-8, 80x24), measured side by side in one run:

1. frame cost: reduce + render + ncurses draw per frame with a 10- and a 10,000-message transcript
   (`dramatis debug frame-bench`, one streamed token per frame, and one wheel notch per frame), interleaved rounds;
2. first paint: launch to the first painted screen, `dramatis chat` (persona picker) versus `llm chat`
   (Simon Willison's llm 0.36 from a private venv), interleaved rounds; the screen is polled with capture-pane;
3. memory: peak RSS (VmHWM) of `dramatis chat` after opening a 10- and a 10,000-message transcript and scrolling it;
4. input latency while marks are recorded: key to painted frame with a 10,000-message transcript open and a
   10,000-example dataset (`dramatis debug input-latency-bench`), rounds with a mark every tenth key interleaved
   with rounds without marks, next to how long each record takes on the writer (what a mark would block input
   for if it were recorded on the UI thread).

Usage: tui_bench.py DRAMATIS_BINARY LLM_BINARY OUT.json   (env: ROUNDS=5, FRAMES=300)
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

DRAMATIS, LLM, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
ROUNDS = int(os.environ.get("ROUNDS", "5"))
FRAMES = int(os.environ.get("FRAMES", "300"))
SOCKET = f"dramatis-bench-{os.getpid()}"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = tempfile.mkdtemp(prefix="dramatis-tui-bench-")
ENV = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="tmux-256color", HOME=WORK,
           XDG_CONFIG_HOME=f"{WORK}/config", XDG_STATE_HOME=f"{WORK}/state", XDG_CACHE_HOME=f"{WORK}/cache",
           LLM_USER_PATH=f"{WORK}/llm", OPENAI_API_KEY="bench-no-request-is-sent",
           # Nothing in these benchmarks sends a request; a closed port keeps the local engine from starting.
           DRAMATIS_LOCAL_BASE_URL="http://127.0.0.1:9/v1")


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCKET, *args], env=ENV, check=check, capture_output=True, text=True).stdout


def start(name, command):
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "exec " + command)


def screen(name):
    return tmux("capture-pane", "-p", "-t", name, check=False)


def wait_for(name, marker, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker in screen(name):
            return time.monotonic()
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {marker!r} in {name}:\n{screen(name)}")


def kill(name):
    tmux("kill-session", "-t", name, check=False)


def q(text):
    return "'" + text.replace("'", "'\\''") + "'"


def median(values):
    return statistics.median(values)


# A session that lives for the whole run, so the tmux server does not exit (and race the next start)
# each time a measured session ends.
tmux("new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", "sleep 86400")


# 1. Frame cost -------------------------------------------------------------------------------------------
def frame_run(messages, scenario, index):
    out = f"{WORK}/frame-{scenario}-{messages}-{index}.json"
    name = f"frame{index}"
    start(name, f"{q(DRAMATIS)} debug frame-bench --messages {messages} --frames {FRAMES} --scenario {scenario} --out {q(out)}")
    deadline = time.monotonic() + 300
    while not os.path.exists(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    kill(name)
    with open(out) as f:
        data = json.load(f)
    frames = [r + d for r, d in zip(data["render_s"], data["draw_s"])]
    return {"frame": median(frames), "render": median(data["render_s"]), "draw": median(data["draw_s"]),
            "p90": sorted(frames)[int(len(frames) * 0.9)], "first_frame": data["first_frame_s"]}


frame_results = {}
runs = 0
for scenario in ("stream", "scroll"):
    samples = {10: [], 10000: []}
    for _ in range(ROUNDS):
        for messages in (10, 10000):
            runs += 1
            samples[messages].append(frame_run(messages, scenario, runs))
    summary = {}
    for messages, rows in samples.items():
        summary[str(messages)] = {key: median([row[key] for row in rows]) for key in rows[0]}
    small, large = summary["10"]["frame"], summary["10000"]["frame"]
    frame_results[scenario] = {"messages": summary, "ratio": large / small,
                               "raw_frame_s": {str(m): [row["frame"] for row in rows] for m, rows in samples.items()}}
    print(f"frame cost ({scenario}, 80x24, median of {ROUNDS} interleaved runs x {FRAMES} frames):")
    for messages in ("10", "10000"):
        row = summary[messages]
        print(f"  {int(messages):>6,} messages: {row['frame'] * 1e6:7.0f} µs/frame (reduce+render {row['render'] * 1e6:.0f} µs,"
              f" draw {row['draw'] * 1e6:.0f} µs, p90 {row['p90'] * 1e6:.0f} µs; first frame {row['first_frame'] * 1e3:.1f} ms)")
    print(f"  ratio 10,000 / 10 = {large / small:.2f}x (target <= 1.5x)")

# 2. First paint ------------------------------------------------------------------------------------------
personas = os.path.join(ROOT, "Personas")
peers = [
    ("dramatis chat", f"{q(DRAMATIS)} chat --personas {q(personas)} --transcripts {q(WORK + '/T')} --dataset {q(WORK + '/D')}",
     "Clippy"),
    ("llm chat", f"{q(LLM)} chat -m gpt-4o-mini", "Chatting with"),
]
# One untimed launch each warms the page cache and Python's bytecode cache, as a user's second launch would be.
for label, command, marker in peers:
    start("warm", command)
    wait_for("warm", marker)
    kill("warm")
paint = {label: [] for label, _, _ in peers}
for index in range(ROUNDS):
    for label, command, marker in peers:
        name = f"paint{index}"
        t0 = time.monotonic()
        start(name, command)
        paint[label].append(wait_for(name, marker) - t0)
        kill(name)
first_paint = {label: {"median_s": median(values), "raw_s": values} for label, values in paint.items()}
ratio = first_paint["llm chat"]["median_s"] / first_paint["dramatis chat"]["median_s"]
print(f"first painted screen (launch -> marker visible via capture-pane, median of {ROUNDS} interleaved runs):")
for label, values in paint.items():
    print(f"  {label:<14} {median(values) * 1e3:7.1f} ms   raw: {', '.join(f'{v * 1e3:.0f}' for v in values)}")
print(f"  llm chat / dramatis chat = {ratio:.2f}x (above 1: dramatis paints first)")

# 3. Peak memory with a long transcript -------------------------------------------------------------------
memory = {}
for messages in (10, 10000):
    directory = f"{WORK}/T{messages}"
    subprocess.run([DRAMATIS, "debug", "long-transcript", "--messages", str(messages), "--out", directory],
                   env=ENV, check=True, capture_output=True)
    name = f"rss{messages}"
    start(name, f"{q(DRAMATIS)} chat --personas {q(personas)} --transcripts {q(directory)} --dataset {q(WORK + '/D')}")
    wait_for(name, "Clippy")
    pid = int(tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip())
    tmux("send-keys", "-t", name, "C-o")
    wait_for(name, "Bench")
    tmux("send-keys", "-t", name, "Enter")
    wait_for(name, "marks 0", timeout=120)
    for key in ["PPage"] * 20 + ["Home", "End"]:
        tmux("send-keys", "-t", name, key)
    tmux("send-keys", "-t", name, "Tab")
    wait_for(name, "▶")
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    memory[str(messages)] = {"vm_hwm_kb": int(fields["VmHWM"].split()[0]), "vm_rss_kb": int(fields["VmRSS"].split()[0])}
    tmux("send-keys", "-t", name, "C-q")
    time.sleep(0.5)
    kill(name)
print("peak RSS of dramatis chat holding a transcript (VmHWM after opening and scrolling it; no model server):")
for messages, row in memory.items():
    print(f"  {int(messages):>6,} messages: {row['vm_hwm_kb'] / 1024:6.1f} MB")
print(f"  target for 10,000 messages: < 60 MB -> {'met' if memory['10000']['vm_hwm_kb'] < 60 * 1024 else 'NOT met'}")


# 4. Input latency while marks are recorded ----------------------------------------------------------------
latency_out = f"{WORK}/input-latency.json"
start("latency", f"{q(DRAMATIS)} debug input-latency-bench --directory {q(WORK + '/latency')} --rounds {max(1, ROUNDS // 2)} "
                 f"--out {q(latency_out)} 2>{q(WORK + '/latency.err')}")
deadline = time.monotonic() + 900
while not os.path.exists(latency_out) and time.monotonic() < deadline:
    time.sleep(0.2)
kill("latency")
if not os.path.exists(latency_out):
    err = open(f"{WORK}/latency.err").read() if os.path.exists(f"{WORK}/latency.err") else ""
    raise SystemExit(f"input-latency-bench wrote no result: {err}")
with open(latency_out) as f:
    latency = json.load(f)
latency["p99_ratio_with_over_without"] = latency["with_marks_ms"]["p99"] / latency["without_marks_ms"]["p99"]
print(f"input to frame with {latency['messages']:,} messages open and {latency['examples']:,} examples, "
      f"{latency['marks']} marks recorded on the writer:")
for label, key in (("with marks", "with_marks_ms"), ("without marks", "without_marks_ms")):
    row = latency[key]
    print(f"  {label:<14} p50 {row['p50']:6.2f} ms   p99 {row['p99']:6.2f} ms   max {row['max']:6.2f} ms")
print(f"  p99 with / without marks: {latency['p99_ratio_with_over_without']:.2f}x; each record took "
      f"{latency['record_ms']['p50']:.0f} ms (p50) on the writer, which a mark on the UI thread would block input for")

tmux("kill-server", check=False)
shutil.rmtree(WORK, ignore_errors=True)
with open(OUT, "w") as f:
    json.dump({"frame_cost": frame_results, "first_paint": {**first_paint, "ratio_llm_over_dramatis": ratio},
               "peak_rss": memory, "input_latency": latency, "rounds": ROUNDS, "frames": FRAMES}, f, indent=2, sort_keys=True)
