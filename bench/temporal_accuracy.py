#!/usr/bin/env python3
"""Accuracy of approach=temporal against approach=year_by_year through /twolvlImp/predict, with the
`panel.py mask` protocol, on the public panel and random panels, with the hidden countries' target also
hidden in the 1 and 2 years on each side of the target year (bench/hide_neighbours.py).

  python3 bench/temporal_accuracy.py [--data DIR] [--tools DIR] [--seeds 11 12 13] [--items 20]
                                     [--mask-seed 3] [--config FILE] [--port 7483] [--work DIR] [--app DLL] [--no-public]

Run from the repository root after `dotnet build SidsFunctions -c Release`. Every (mask, approach) gets a
fresh server (PREDICTION_CACHE_ENTRIES=0), so that neither approach finds the other's level one cached.
Year-by-year reads the target year only, so hiding other years cannot change its answers: it is scored
once per panel (on the plain mask). Prints one JSON line per run, then a Markdown table; `temporal_accuracy.py --table LOG...` prints the
table from the JSON lines of runs made side by side (one seed each, --no-public).
"""
import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def server(args, dataset, port):
    env = dict(os.environ, DATASET_PATH=dataset, FUNCTIONS_CUSTOMHANDLER_PORT=str(port), PREDICTION_CACHE_ENTRIES="0",
               RATE_LIMIT_PERMITS="0")
    # --app: a custom-handler build's SidsFunctions.dll (it reads the variable); else this checkout under its local host.
    cmd = ["dotnet", args.app] if args.app else ["dotnet", "run", "--project", os.path.join(ROOT, "SidsFunctions"), "-c", "Release",
                                                 "--no-build", "--", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=5) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        time.sleep(0.5)
    proc.kill()
    sys.exit(f"server on {dataset} did not become ready")


def score(args, dataset, panel, approach):
    config = dict(json.load(open(args.config)), approach=approach)
    path = os.path.join(args.work, f"config-{approach}.json")
    json.dump(config, open(path, "w"))
    proc, url = server(args, dataset, args.port)
    try:
        out = subprocess.run([sys.executable, os.path.join(args.tools, "panel.py"), "score", url, dataset, panel, path],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        proc.terminate()
        proc.wait()


def table(rows):
    print()
    print("| panel | items | year-by-year NRMSE | cover | s | temporal NRMSE (× y-b-y) | cover | s | ±1 hidden (×) | cover | ±2 hidden (×) | cover |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        y = r["year_by_year"]
        cells = [r["panel"], str(r["items"]), f"{y['nrmse']:.3f}", f"{y['coverage']:.2f}", f"{y['median_s']:.2f}"]
        for k in (0, 1, 2):
            t = r[f"temporal_{k}"]
            cells += [f"{t['nrmse']:.3f} ({t['nrmse'] / y['nrmse']:.2f})", f"{t['coverage']:.2f}"]
            if k == 0:
                cells.append(f"{t['median_s']:.2f}")
        print("| " + " | ".join(cells) + " |")


def from_logs(paths):
    """The table from the JSON lines of earlier runs (seeds run side by side)."""
    rows = {}
    for path in paths:
        for line in open(path):
            if line.startswith("{"):
                r = json.loads(line)
                row = rows.setdefault(r["panel"], {"panel": r["panel"], "items": r["items"]})
                row["year_by_year" if r["approach"] == "year_by_year" else f"temporal_{r['hidden']}"] = r
    table([r for r in rows.values() if len(r) == 6])


def main():
    if sys.argv[1:2] == ["--table"]:
        return from_logs(sys.argv[2:])
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "sids"))
    p.add_argument("--tools", default=os.path.join(ROOT, "..", "shared", "tools"))
    p.add_argument("--public", default=os.path.join(ROOT, "..", "shared", "bench", "panel-public.json"))
    p.add_argument("--seeds", type=int, nargs="*", default=[11, 12, 13])
    p.add_argument("--items", type=int, default=20)
    p.add_argument("--mask-seed", default="3")
    p.add_argument("--config", default=os.path.join(ROOT, "..", "shared", "bench", "config-afs.json"))
    p.add_argument("--port", type=int, default=7483)
    p.add_argument("--work", default="/tmp/temporal-accuracy")
    p.add_argument("--app", help="run this SidsFunctions.dll instead of `dotnet run --no-build`")
    p.add_argument("--no-public", action="store_true", help="random panels only (to run seeds side by side)")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    panels = [] if args.no_public else [("public", args.public)]
    for seed in args.seeds:
        path = os.path.join(args.work, f"panel-random-{seed}.json")
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(args.tools, "panel.py"), "random", args.data, str(args.items), str(seed)],
                           stdout=f, check=True)
        panels.append((f"random seed {seed}", path))
    rows = []
    for name, panel in panels:
        masked = os.path.join(args.work, f"mask-{os.path.basename(panel)}-{args.mask_seed}")
        subprocess.run([sys.executable, os.path.join(args.tools, "panel.py"), "mask", args.data, masked, panel, args.mask_seed], check=True)
        row = {"panel": name, "items": len(json.load(open(panel)))}
        row["year_by_year"] = score(args, masked, panel, "year_by_year")
        print(json.dumps({"panel": name, "hidden": 0, "approach": "year_by_year", **row["year_by_year"]}), flush=True)
        for k in (0, 1, 2):
            dataset = masked
            if k:
                dataset = f"{masked}-pm{k}"
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "hide_neighbours.py"), masked, dataset, panel, str(k)], check=True)
            row[f"temporal_{k}"] = score(args, dataset, panel, "temporal")
            print(json.dumps({"panel": name, "hidden": k, "approach": "temporal", **row[f"temporal_{k}"]}), flush=True)
        rows.append(row)
    table(rows)

if __name__ == "__main__":
    main()
