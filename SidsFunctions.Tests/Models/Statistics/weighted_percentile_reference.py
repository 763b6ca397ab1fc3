"""Expected values (printed as C# MemberData rows) of WeightedPercentileTests: sklearn.utils.stats._weighted_percentile (scikit-learn 1.2.1).

Run: /usr/bin/python3 SidsFunctions.Tests/Models/Statistics/weighted_percentile_reference.py
"""
import numpy as np
from sklearn.utils.stats import _weighted_percentile

cases = [
    ([3.0, 1.0, 2.0, 5.0, 4.0], [1.0, 1.0, 1.0, 1.0, 1.0]),
    ([3.0, 1.0, 2.0, 5.0, 4.0], [1.0, 4.0, 1.0, 4.0, 1.0]),
    ([2.0, 2.0, 1.0, 3.0, 3.0, 3.0], [0.5, 0.25, 2.0, 0.0, 1.5, 0.75]),
    ([-1.5, 0.25, 7.0, -3.0], [0.0, 0.0, 2.0, 1.0]),
    ([0.1 * i for i in range(23)], [1.0 / 33 if i % 3 else 1.0 / 150 for i in range(23)]),
    ([4.0], [2.0]),
]
for values, weights in cases:
    for percentile in [0, 5, 37.5, 50, 90, 95, 100]:
        result = _weighted_percentile(np.array(values), np.array(weights), percentile)
        arr = lambda a: "new double[] { " + ", ".join(repr(float(v)) for v in a) + " }"
        print(f"        [{arr(values)}, {arr(weights)}, {float(percentile)!r}, {float(result)!r}],")
