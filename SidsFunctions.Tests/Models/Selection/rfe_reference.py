"""Expected rankings of RecursiveFeatureEliminationTests: scikit-learn 1.2.1's RFE over an estimator whose
feature importances are the first row of X (so that they are known in advance, ties included).

Run: /usr/bin/python3 SidsFunctions.Tests/Models/Selection/rfe_reference.py
"""
import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.feature_selection import RFE


class FirstRowImportances(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.feature_importances_ = X[0] / X[0].sum()
        return self

    def predict(self, X):
        return np.zeros(len(X))


first_row = [0.3, 0.1, 0.5, 0.1, 0.9, 0.2, 0.05, 0.7, 0.1, 0.4]
x = np.array([first_row] + [[1.0] * 10] * 4)
y = np.arange(5.0)
for select, step in [(3, 1), (3, 2), (4, 3), (1, 4), (9, 5)]:
    rfe = RFE(FirstRowImportances(), n_features_to_select=select, step=step).fit(x, y)
    print(f"        [{select}, {step}, new[] {{ {', '.join(str(b).lower() for b in rfe.support_)} }}, new[] {{ {', '.join(str(r) for r in rfe.ranking_)} }}],")
