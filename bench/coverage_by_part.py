#!/usr/bin/env python3
"""90% interval coverage of temporal answers by the kind of part that answered each hidden value: the residual model
alone (share 0), a blend with the year-by-year model (0 < share < 1), the year-by-year model at a distance group
(share 1), or no usable year (fallback), from each answer's `approach.models`.

  python3 bench/coverage_by_part.py --work DIR [DIR ...] [--config CONFIG_JSON] [--public PANEL] [--port 7485] [--app DLL]

DIR is a `bench/temporal_accuracy.py --work` folder: every `mask-*` folder in it (plain, -pm1, -pm2) is served by a
fresh server on that mask and its panel (`panel-*.json` of the same name) imputed through /twolvlImp/predict. Prints
one line per mask and part, then the totals. Run from the repository root after `dotnet build SidsFunctions -c Release`.
"""
import argparse
import collections
import glob
import json
import os
import re
import statistics
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from temporal_accuracy import ROOT, server  # noqa: E402


def part_of(model):
    if model["distance"] is None:
        return "fallback"
    share = model["year_by_year_share"]
    return "share 0" if share == 0 else "share 1" if share == 1 else "blend"


def score(url, mask, panel, config):
    truth = json.load(open(os.path.join(mask, "truth.json")))
    counts = collections.defaultdict(lambda: [0, 0])
    for item in json.load(open(panel)):
        target, year = item["target"], item["year"]
        body = dict(config, approach="temporal", target=target, target_year=year, dataset=target.split("-", 1)[0])
        request = urllib.request.Request(url + "/twolvlImp/predict", json.dumps(body).encode(), {"Content-Type": "application/json"})
        answer = json.load(urllib.request.urlopen(request, timeout=600))
        values = answer["indicatorJson"]
        part = {c: part_of(m) for m in answer["approach"]["models"] for c in m["countries"]}
        for country, actual in truth[f"{target}|{year}"].items():
            low, high = values["lowerIntervals"][year][country], values["upperIntervals"][year][country]
            counts[part[country]][0] += 1
            counts[part[country]][1] += low <= actual <= high
    return counts


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", nargs="+", required=True)
    p.add_argument("--config", default=os.path.join(ROOT, "..", "shared", "bench", "config-afs.json"))
    p.add_argument("--public", default=os.path.join(ROOT, "..", "shared", "bench", "panel-public.json"),
                   help="the public panel, which temporal_accuracy.py reads in place rather than copying into its folder")
    p.add_argument("--port", type=int, default=7485)
    p.add_argument("--app", help="run this SidsFunctions.dll instead of `dotnet run --no-build`")
    args = p.parse_args()
    config = json.load(open(args.config))
    totals = collections.defaultdict(lambda: [0, 0])
    cells = []
    for work in args.work:
        for mask in sorted(glob.glob(os.path.join(work, "mask-*"))):
            name = re.match(r"mask-(.+\.json)-", os.path.basename(mask)).group(1)
            panel = os.path.join(work, name)
            if not os.path.exists(panel) and name == os.path.basename(args.public):
                panel = args.public
            proc, url = server(args, mask, args.port)
            try:
                counts = score(url, mask, panel, config)
            finally:
                proc.terminate()
                proc.wait()
            for part, (n, covered) in sorted(counts.items()):
                print(f"{os.path.basename(mask)} {part}: {covered}/{n} = {covered / n:.3f}", flush=True)
                totals[part][0] += n
                totals[part][1] += covered
            cells.append(sum(c for _, c in counts.values()) / sum(n for n, _ in counts.values()))
    for part, (n, covered) in sorted(totals.items()):
        print(f"all {part}: {covered}/{n} = {covered / n:.3f}")
    print(f"cells {len(cells)}: mean {statistics.mean(cells):.3f}, lowest {min(cells):.3f}, below 0.88 {sum(c < 0.88 for c in cells)}, "
          f"above 0.95 {sum(c > 0.95 for c in cells)}")


if __name__ == "__main__":
    main()
