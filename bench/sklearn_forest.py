"""Times scikit-learn 1.2.1 on the shapes of the C# benchmarks (bench/SidsBenchmarks/LearningCoreBenchmarks.cs).

Run:  /usr/bin/python3 bench/sklearn_forest.py [repeats]
Prints the best and median wall time of each fit (ms) and the CPU time of the process per fit.
Data: 200 rows x 150 features, uniform [0, 100), y = 2 x0 + x1 + noise, as the C# benchmarks.
"""
import statistics
import sys
import time

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, GradientBoostingRegressor, RandomForestRegressor
from sklearn.feature_selection import RFE
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeRegressor

repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
rng = np.random.default_rng(1)
x = rng.uniform(0, 100, size=(200, 150))
y = 2 * x[:, 0] + x[:, 1] + rng.uniform(0, 10, size=200)
w = np.where(np.arange(200) % 4 == 0, 1 / 50, 1 / 150)


def timed(name, fit, repeats=repeats):
    fit()
    walls, cpus = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        fit()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    print(f"{name:45s} best {min(walls):9.1f} ms  median {statistics.median(walls):9.1f} ms  cpu {statistics.median(cpus):9.1f} ms")


timed("DecisionTreeRegressor fit", lambda: DecisionTreeRegressor(random_state=7).fit(x, y, sample_weight=w))
timed("RandomForestRegressor(100) fit n_jobs=1", lambda: RandomForestRegressor(100, random_state=7, n_jobs=1).fit(x, y, sample_weight=w))
timed("RandomForestRegressor(100) fit n_jobs=2", lambda: RandomForestRegressor(100, random_state=7, n_jobs=2).fit(x, y, sample_weight=w))
timed("ExtraTreesRegressor(100) fit n_jobs=1", lambda: ExtraTreesRegressor(100, random_state=7, n_jobs=1).fit(x, y, sample_weight=w))
timed("ExtraTreesRegressor(100) fit n_jobs=2", lambda: ExtraTreesRegressor(100, random_state=7, n_jobs=2).fit(x, y, sample_weight=w))
timed("GradientBoostingRegressor(100) fit", lambda: GradientBoostingRegressor(random_state=7).fit(x, y, sample_weight=w))
if "--heavy" in sys.argv:
    def rfe():
        RFE(RandomForestRegressor(100, random_state=7, n_jobs=2), n_features_to_select=10, step=10).fit(x, y)

    def grid():
        GridSearchCV(RandomForestRegressor(100, random_state=7, n_jobs=1), {"max_depth": [5, 10, 20, 100, None]},
                     cv=5, scoring="neg_mean_squared_error", n_jobs=2).fit(x[:, :10], y, sample_weight=w)

    timed("RFE(RF(100), select 10, step 10) n_jobs=2", rfe, repeats=1)
    timed("GridSearchCV(RF(100), 5 depths, 5 folds) n_jobs=2", grid, repeats=1)
