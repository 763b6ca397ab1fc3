#!/usr/bin/env python3
"""Every configuration the platform's form offers for AFS and PCA (interpolator × scheme × model × interval,
frontend-contract.json), scored through /twolvlImp/predict on random panels with the `panel.py mask`
protocol: NRMSE and 90% interval coverage per configuration and panel. MANUAL is left out: its predictors
are the user's pick, which no panel can stand for.

  python3 bench/config_panels.py [--data DIR] [--tools DIR] [--seeds 21 22 23] [--items 6] [--estimators 100]
                                 [--number-predictor 10] [--approach year_by_year] [--port 7484] [--work DIR] [--app DLL] [--hide K]
                                 [--interpolators ...] [--schemes ...] [--models ...] [--intervals ...]   (a part of the grid)

Run from the repository root after `dotnet build SidsFunctions -c Release`. One server per panel (answers
not kept; level one and the AFS/PCA choice are shared between configurations, as between a user's requests).
Prints one JSON line per (panel, configuration), then a Markdown table; exit status 1 when some coverage is
below 0.85.
"""
import argparse
import itertools
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from temporal_accuracy import ROOT, server  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "sids"))
    p.add_argument("--tools", default=os.path.join(ROOT, "..", "shared", "tools"))
    p.add_argument("--seeds", type=int, nargs="*", default=[21, 22, 23])
    p.add_argument("--items", type=int, default=6)
    p.add_argument("--mask-seed", default="3")
    p.add_argument("--hide", type=int, help="also hide the hidden countries' target K years on each side (bench/hide_neighbours.py; 20: the whole series)")
    p.add_argument("--estimators", type=int, default=100)
    p.add_argument("--number-predictor", type=int, default=10)
    p.add_argument("--approach", default="year_by_year")
    p.add_argument("--port", type=int, default=7484)
    p.add_argument("--work", default="/tmp/config-panels")
    p.add_argument("--app", help="run this SidsFunctions.dll instead of `dotnet run --no-build`")
    p.add_argument("--interpolators", nargs="*", default=["KNNImputer", "IterativeImputer", "SimpleImputer"])
    p.add_argument("--schemes", nargs="*", default=["AFS", "PCA"])
    p.add_argument("--models", nargs="*", default=["rfr", "gbr", "etr", "all"])
    p.add_argument("--intervals", nargs="*", default=["bootstrap", "quantile"])
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    configs = [dict(interpolator=i, scheme=s, model=m, interval=v, estimators=args.estimators, number_predictor=args.number_predictor,
                    approach=args.approach)
               for i, s, m, v in itertools.product(args.interpolators, args.schemes, args.models, args.intervals)]
    results = {}
    for seed in args.seeds:
        panel = os.path.join(args.work, f"panel-random-{seed}-{args.items}.json")
        with open(panel, "w") as f:
            subprocess.run([sys.executable, os.path.join(args.tools, "panel.py"), "random", args.data, str(args.items), str(seed)],
                           stdout=f, check=True)
        masked = os.path.join(args.work, f"mask-{seed}-{args.items}-{args.mask_seed}")
        subprocess.run([sys.executable, os.path.join(args.tools, "panel.py"), "mask", args.data, masked, panel, args.mask_seed], check=True)
        if args.hide:
            subprocess.run([sys.executable, os.path.join(ROOT, "bench", "hide_neighbours.py"), masked, f"{masked}-hide{args.hide}", panel,
                            str(args.hide)], check=True)
            masked = f"{masked}-hide{args.hide}"
        proc, url = server(args, masked, args.port)
        try:
            for c in configs:
                path = os.path.join(args.work, "config.json")
                json.dump(c, open(path, "w"))
                out = subprocess.run([sys.executable, os.path.join(args.tools, "panel.py"), "score", url, masked, panel, path],
                                     capture_output=True, text=True, check=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                key = (c["interpolator"], c["scheme"], c["model"], c["interval"])
                results.setdefault(key, {})[seed] = r
                print(json.dumps({"seed": seed, **c, **r}), flush=True)
        finally:
            proc.terminate()
            proc.wait()
    print()
    print("| interpolator | scheme | model | interval | " + " | ".join(f"seed {s} NRMSE / cover" for s in args.seeds) + " | mean NRMSE | min cover |")
    print("| --- | --- | --- | --- | " + " | ".join("---:" for _ in args.seeds) + " | ---: | ---: |")
    low = False
    for key, by_seed in results.items():
        cells = [f"{by_seed[s]['nrmse']:.3f} / {by_seed[s]['coverage']:.2f}" for s in args.seeds]
        mean = sum(by_seed[s]["nrmse"] for s in args.seeds) / len(args.seeds)
        cover = min(by_seed[s]["coverage"] for s in args.seeds)
        low |= cover < 0.85
        print("| " + " | ".join(key) + " | " + " | ".join(cells) + f" | {mean:.3f} | {cover:.2f} |")
    sys.exit(1 if low else 0)


if __name__ == "__main__":
    main()
