"""Expected values of ForestReferenceTests: scikit-learn 1.2.1 forests on data both sides build exactly.

Run: /usr/bin/python3 SidsFunctions.Tests/Models/Ensembles/forest_reference.py
Prints the C# arrays pasted into ForestReferenceTests.cs.
"""
import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, GradientBoostingRegressor, RandomForestRegressor
from sklearn.tree import DecisionTreeRegressor, ExtraTreeRegressor


def data(rows, offset):
    # Same integer recipe as ForestReferenceTests.Data: exact in both languages.
    x = np.empty((rows, 5))
    y = np.empty(rows)
    w = np.empty(rows)
    for i in range(rows):
        k = i + offset
        x[i, 0] = ((k * 7919 + 17) % 1009) / 13.0
        x[i, 1] = ((k * 104729 + 3) % 997) / 7.0
        x[i, 2] = ((k * 31 + k * k) % 101) / 3.0
        x[i, 3] = float(k % 5)  # many ties
        x[i, 4] = ((k * 65537) % 1021) / 17.0
        y[i] = 2.0 * x[i, 0] + (5.0 if x[i, 1] > 70.0 else 0.0) + x[i, 3] * x[i, 2] / 10.0 + ((k * 37) % 23) / 7.0
        w[i] = 1.0 + (k % 3)
    return x, y, w


def show(name, values):
    print(f"    private static readonly double[] {name} = [{', '.join(repr(float(v)) for v in values)}];")


x, y, w = data(60, 0)
test, _, _ = data(12, 1000)
configs = {
    "ForestSeed7": RandomForestRegressor(n_estimators=10, random_state=7),
    "ForestSqrtDepth4Seed3": RandomForestRegressor(n_estimators=10, max_depth=4, max_features="sqrt", random_state=3),
    "ExtraSeed7": ExtraTreesRegressor(n_estimators=10, random_state=7),
    "ExtraSqrtLeaf3Seed5": ExtraTreesRegressor(n_estimators=10, max_features="sqrt", min_samples_leaf=3, random_state=5),
}
for name, model in configs.items():
    model.fit(x, y, sample_weight=w)
    show(name + "Predictions", model.predict(test))
    show(name + "Importances", model.feature_importances_)
    show(name + "Tree3", model.estimators_[3].predict(test.astype(np.float32)))

# Single models on paths the trees.json fixture does not take: min_samples_leaf > 1 (backward criterion
# updates), a random-splitter tree, boosting drawing sqrt(features) per node.
singles = {
    "TreeLeaf4Seed1": DecisionTreeRegressor(min_samples_leaf=4, random_state=1),
    "RandomTreeSeed5": ExtraTreeRegressor(max_features=1.0, random_state=5),
    "BoostQuantileSqrtSeed3": GradientBoostingRegressor(loss="quantile", alpha=0.5, max_features="sqrt", n_estimators=30, random_state=3),
    "BoostDepth5Leaf3Seed2": GradientBoostingRegressor(max_depth=5, min_samples_leaf=3, n_estimators=30, random_state=2),
}
for name, model in singles.items():
    model.fit(x, y, sample_weight=w)
    show(name + "Predictions", model.predict(test))
    show(name + "Importances", model.feature_importances_)
