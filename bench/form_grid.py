#!/usr/bin/env python3
"""Cold answers to what the platform's "Design your own model" form can send (a benchmark, not a test).

Draws a seeded sample of the form's grid (interpolator x scheme x number_predictor x estimators x model x interval,
as shared/reference/frontend-contract.json lists them), each combination on its own target and year so that
nothing is warm (level one included), and POSTs /twolvlImp/estimate then /twolvlImp/predict for each, one at a
time, against a service started with PREDICTION_CACHE_ENTRIES=0. Prints every combination (slowest first) with
its time, the service's CPU time for it (user + system, from /proc: steadier than wall time on a shared machine;
on an idle 2-core machine the wall time is at least half of it), what /estimate answered and the stage timings of
the service's log, then the distribution.

  bench/form_grid.py [--n 40] [--seed 17] [--root CHECKOUT] [--data DATASET_DIR] [--port 7522] [--json OUT]
  bench/form_grid.py --url http://127.0.0.1:PORT --log SERVER_LOG ...   (a service already running, cold)
  bench/form_grid.py --estimates-from 40 ...   (/estimate learned from 40 other combinations first)

With --estimates-from N, a first service (on a copy of the dataset, with its own storage folder) answers N other
combinations (other targets and years, another seed), its AggregateTimeEstimates function is run
(POST /admin/functions/AggregateTimeEstimates), and the measured service starts on that copy, so /estimate
answers from recorded durations as in production; the summary then says how far the estimates were from the
times (their ratio).

By default it starts the service from CHECKOUT (default: this checkout) as the README does
(`dotnet run --project SidsFunctions -c Release --no-build`, built beforehand) and stops it at the end.
Standard library only.
"""
import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

GRID = dict(interpolator=["KNNImputer", "IterativeImputer", "SimpleImputer"], scheme=["AFS", "PCA"],
            number_predictor=[5, 10, 20], estimators=[10, 100, 500, 1000], model=["rfr", "gbr", "etr", "all"],
            interval=["bootstrap", "quantile"])
STAGES = re.compile(r"Stages \(ms\): level one (\d+)( \(cached\))?, selection (\d+), grid search (\d+), intervals (\d+), total (\d+)")


def call(url, body=None, timeout=900):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, json.loads(raw) if raw else None  # 202 from /admin/functions has no body
    except urllib.error.HTTPError as e:
        return e.code, e.read()[:300].decode(errors="replace")


def combinations(url, n, seed, exclude=()):
    """n grid points, each with a distinct (target, year) among the targets the service offers for that year
    (and not among the bodies of `exclude`)."""
    rng = random.Random(seed)
    _, years = call(url + "/twolvlImp/target_years")
    pairs = []
    for year in years:
        for dataset in ("key", "wdi"):
            status, targets = call(f"{url}/twolvlImp/targets?target_year={year}&dataset={dataset}")
            if status == 200:
                pairs += [(t, year) for t in targets if t.startswith(dataset + "-")]
    pairs = sorted(set(pairs) - {(b["target"], b["target_year"]) for b in exclude})
    chosen = rng.sample(pairs, n)
    out = []
    for target, year in chosen:
        body = {k: rng.choice(v) for k, v in GRID.items()}
        body.update(target=target, target_year=year, dataset=target.split("-", 1)[0])
        out.append(body)
    return out


def start(root, data, port, log_path, storage=None):
    env = dict(os.environ, FUNCTIONS_CUSTOMHANDLER_PORT=str(port), DATASET_PATH=os.path.realpath(data),
               PREDICTION_CACHE_ENTRIES="0")
    if storage:
        env["LOCAL_STORAGE_PATH"] = storage
    log = open(log_path, "w")
    # The port both ways: `--port N` for the local Functions host, the variable for a custom-handler build (--root).
    proc = subprocess.Popen(["dotnet", "run", "--project", "SidsFunctions", "-c", "Release", "--no-build", "--", "--port", str(port)],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("the service stopped: see " + log_path)
        try:
            if call(url + "/health/ready", timeout=2)[0] == 200:
                return proc, url
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("the service did not become ready: see " + log_path)


def learn_estimates(a):
    """A copy of the dataset holding the time_consumption that a first service aggregated from N other combinations'
    durations, that service's storage folder (its duration logs), and the combinations to measure (those the N avoid)."""
    import shutil
    import tempfile
    work = tempfile.mkdtemp(prefix="form-grid-estimates-")
    data = os.path.join(work, "data")
    os.makedirs(data)
    for name in ("indicatorData.csv", "indicatorMeta.csv", "datasetMeta.csv"):
        shutil.copy(os.path.join(a.data, name), data)
    storage = os.path.join(work, "storage")
    log_path = os.path.join(work, "learn.log")
    proc, url = start(a.root, data, a.port, log_path, storage)
    try:
        measured = combinations(url, a.n, a.seed)
        for i, body in enumerate(combinations(url, a.estimates_from, a.seed + 1, exclude=measured)):
            status, _ = call(url + "/twolvlImp/predict", body)
            print(f"[learn {i + 1:2}/{a.estimates_from}] status {status}  {describe(body)}", file=sys.stderr, flush=True)
        time.sleep(1.5)  # the duration log appends a window's records at once
        status, _ = call(url + "/admin/functions/AggregateTimeEstimates", {"input": ""})
        if status != 202:
            raise SystemExit(f"AggregateTimeEstimates answered {status}: see {log_path}")
        for _ in range(300):
            if os.path.exists(os.path.join(data, "time_consumption")):
                break
            time.sleep(0.1)
        else:
            raise SystemExit("no time_consumption was written: see " + log_path)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    return data, storage, measured


def service_pid(launcher):
    """The service process under `dotnet run` (the worker: its descendant whose command line names SidsFunctions,
    not the local Functions host in front of it), for CPU time."""
    todo, seen = [launcher], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    for pid in seen[1:]:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
                if b"SidsFunctions" in cmdline and b"LocalHost" not in cmdline:
                    return pid
        except OSError:
            pass
    return None


def cpu_seconds(pid):
    """User + system CPU time of a process (steadier than wall time on a shared machine)."""
    if pid is None:
        return float("nan")
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def stages_since(log_path, offset):
    with open(log_path, errors="replace") as f:
        f.seek(offset)
        text = f.read()
    found = STAGES.findall(text)
    return found[-1] if found else None


def describe(b):
    return (f"{b['interpolator'][:-7]:9} {b['scheme']:4} {b['number_predictor']:2}p {b['estimators']:4}t {b['model']:3} "
            f"{b['interval'][:5]:5} {b['target']} {b['target_year']}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--root", default=os.path.dirname(here))
    p.add_argument("--data", default=os.path.join(os.path.dirname(here), "..", "shared", "data", "sids"))
    p.add_argument("--port", type=int, default=7522)
    p.add_argument("--url")
    p.add_argument("--log")
    p.add_argument("--pid", type=int, help="with --url: the service's process, for its CPU time")
    p.add_argument("--json", help="write every combination's figures here")
    p.add_argument("--estimates-from", type=int, default=0, metavar="N",
                   help="record N other combinations' durations first, so that /estimate answers from them")
    a = p.parse_args()
    storage, measured = None, None
    if a.estimates_from:
        if a.url:
            raise SystemExit("--estimates-from starts its own services: leave out --url")
        a.data, storage, measured = learn_estimates(a)

    proc = None
    log_path = a.log
    pid = a.pid
    if a.url:
        url = a.url.rstrip("/")
    else:
        log_path = log_path or f"/tmp/form-grid-{a.port}.log"
        proc, url = start(a.root, a.data, a.port, log_path, storage)
        pid = service_pid(proc.pid)
    rows = []
    try:
        for i, body in enumerate(measured or combinations(url, a.n, a.seed)):
            offset = os.path.getsize(log_path) if log_path else 0
            _, estimate = call(url + "/twolvlImp/estimate", body)
            began, cpu = time.perf_counter(), cpu_seconds(pid)
            status, answer = call(url + "/twolvlImp/predict", body)
            took, cpu = time.perf_counter() - began, cpu_seconds(pid) - cpu
            time.sleep(0.05)  # the log line is written as the answer goes out
            st = stages_since(log_path, offset) if log_path else None
            stages = None if st is None else dict(level_one=int(st[0]), level_one_cached=bool(st[1]), selection=int(st[2]),
                                                   grid_search=int(st[3]), intervals=int(st[4]))
            rows.append(dict(body=body, status=status, seconds=took, cpu_seconds=cpu, estimate=estimate, stages=stages))
            print(f"[{i + 1:2}/{a.n}] {took:6.2f} s  cpu {cpu:6.2f} s  status {status}  {describe(body)}", file=sys.stderr, flush=True)
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()

    print(f"{'time s':>7} {'cpu s':>6} {'estimate s':>10} {'level one':>9} {'select':>7} {'grid':>7} {'interv':>7}  combination (ms per stage)")
    for r in sorted(rows, key=lambda r: -r["seconds"]):
        s = r["stages"] or {}
        est = r["estimate"] if isinstance(r["estimate"], (int, float)) else float("nan")
        print(f"{r['seconds']:7.2f} {r['cpu_seconds']:6.2f} {est:10.2f} {s.get('level_one', -1):9} {s.get('selection', -1):7} {s.get('grid_search', -1):7} "
              f"{s.get('intervals', -1):7}  {describe(r['body'])}{'' if r['status'] == 200 else '  status ' + str(r['status'])}")
    times = sorted(r["seconds"] for r in rows)
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    cpus = sorted(r["cpu_seconds"] for r in rows)
    summary = dict(combinations=len(times), median_s=statistics.median(times), p90_s=p90, max_s=times[-1],
                   cpu_median_s=statistics.median(cpus), cpu_p90_s=cpus[min(len(cpus) - 1, int(round(0.9 * (len(cpus) - 1))))],
                   cpu_max_s=cpus[-1],
                   over_5_s=sum(t > 5 for t in times), failures=sum(r["status"] != 200 for r in rows),
                   iterative_level_one_max_ms=max([r["stages"]["level_one"] for r in rows
                                                   if r["stages"] and r["body"]["interpolator"] == "IterativeImputer"], default=None))
    ratios = sorted(r["estimate"] / r["seconds"] for r in rows if isinstance(r["estimate"], (int, float)) and r["seconds"] > 0)
    if a.estimates_from and ratios:
        summary.update(estimate_over_time_median=statistics.median(ratios), estimate_over_time_min=ratios[0],
                       estimate_over_time_max=ratios[-1], estimates_within_2x=sum(0.5 <= q <= 2 for q in ratios))
    print(json.dumps(summary))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(dict(summary=summary, rows=rows), f, indent=1)


if __name__ == "__main__":
    main()
