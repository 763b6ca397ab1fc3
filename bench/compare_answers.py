#!/usr/bin/env python3
"""Whether two running servers give the same /twolvlImp/predict answers: a panel's target-years under a grid of
models, intervals and approaches, each answer compared as JSON (an answer holds no timings). For a change meant to
leave answers as they were: start the old build and the new one on the same data, then

  python3 bench/compare_answers.py OLD_URL NEW_URL PANEL_JSON [--items 6] [--models rfr gbr etr all]
                                   [--intervals quantile bootstrap conformal] [--approaches temporal year_by_year]
                                   [--scheme PCA] [--interpolator KNNImputer] [--ignore-description]

Prints one line per request (same / DIFF) and the count of differing answers; exit status 1 when some differ.
"""
import argparse
import itertools
import json
import sys
import urllib.request


def post(url, body):
    request = urllib.request.Request(url + "/twolvlImp/predict", json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("panel")
    p.add_argument("--items", type=int, default=6)
    p.add_argument("--models", nargs="*", default=["rfr", "gbr", "etr", "all"])
    p.add_argument("--intervals", nargs="*", default=["quantile", "bootstrap", "conformal"])
    p.add_argument("--approaches", nargs="*", default=["temporal", "year_by_year"])
    p.add_argument("--scheme", default="PCA")
    p.add_argument("--interpolator", default="KNNImputer")
    p.add_argument("--ignore-description", action="store_true",
                   help="compare answers without the interval's description (for a change that only rewords it)")
    args = p.parse_args()
    items = json.load(open(args.panel))[: args.items]
    differ = 0
    for item, model, interval, approach in itertools.product(items, args.models, args.intervals, args.approaches):
        body = dict(target=item["target"], target_year=str(item["year"]), dataset=item["target"].split("-")[0], scheme=args.scheme,
                    number_predictor=10, interpolator=args.interpolator, estimators=100, model=model, interval=interval, approach=approach)
        old, new = post(args.old, body), post(args.new, body)
        if args.ignore_description:
            for answer in (old, new):
                answer["interval"].pop("description", None)
        same = json.dumps(old, sort_keys=True) == json.dumps(new, sort_keys=True)
        differ += not same
        print(item["target"], item["year"], model, interval, approach, "same" if same else "DIFF", flush=True)
    print("differing answers:", differ)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
