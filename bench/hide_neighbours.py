#!/usr/bin/env python3
"""Harder masks for the temporal approach: after `panel.py mask`, also hide the hidden countries' target
(and its key-/wdi- twin) in the K years on each side of the target year, so that the nearest observed
year is at least K + 1 years away.

  hide_neighbours.py MASKED_DIR OUT_DIR PANEL_JSON K

MASKED_DIR is the output of `panel.py mask` (its truth.json says which countries were hidden); OUT_DIR
gets a copy with the neighbouring years hidden too, and the same truth.json, so `panel.py score` scores it.
"""
import csv
import json
import os
import shutil
import sys


def twins(code):
    base = code.split("-", 1)[1] if code.startswith("key-") else code
    return {base, "key-" + base}


def main(masked, out, panel, k):
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(masked):
        if name != "indicatorData.csv":
            shutil.copy(os.path.join(masked, name), os.path.join(out, name))
    truth = json.load(open(os.path.join(masked, "truth.json")))
    with open(os.path.join(masked, "indicatorData.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    col = {y: header.index(y) for y in header[2:]}
    for item in panel:
        target, year = item["target"], int(item["year"])
        hidden = set(truth[f"{target}|{item['year']}"])
        columns = [col[str(y)] for y in range(year - k, year + k + 1) if y != year and str(y) in col]
        for r in body:
            if r[0] in hidden and r[1] in twins(target):
                for c in columns:
                    r[c] = ""
    with open(os.path.join(out, "indicatorData.csv"), "w", newline="") as f:
        csv.writer(f).writerows([header] + body)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), int(sys.argv[4]))
