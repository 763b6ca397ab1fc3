#!/usr/bin/python3
"""Expectations for SidsModels' IterativeImputer: what scikit-learn 1.2.1's IterativeImputer computes with
a deterministic estimator (LinearRegression), so that the C# imputer can be compared step for step with
an ordinary-least-squares learner.

    /usr/bin/python3 make_iterative_imputer.py > iterative_imputer.json

Debian's python3-sklearn 1.2.1 / numpy 1.24. Each case: the options passed (max_iter, tol; every other
option is the default, with n_nearest_features=100 >= the number of features so no feature sampling),
train and test (null = NaN), the columns kept (not all-NaN in train), n_iter_ after fit, and
transform(train) / transform(test) of the imputer fitted on train.
"""
import json
import sys
import warnings

import numpy as np
import sklearn
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer
from sklearn.linear_model import LinearRegression

SEED = 20261122


def correlated(rng, rows, columns):
    """Rows of a few latent factors mixed into the columns, plus noise: features predict each other."""
    latent = rng.normal(size=(rows, 2))
    mixing = rng.normal(size=(2, columns))
    return latent @ mixing * 10 + rng.normal(scale=2.0, size=(rows, columns)) + rng.normal(scale=20, size=columns)


def knock_out(rng, x, fraction):
    x = x.copy()
    x[rng.random(x.shape) < fraction] = np.nan
    return x


def nulls(a):
    return [[None if np.isnan(v) else float(v) for v in row] for row in np.asarray(a, dtype=float)]


def case(name, train, test, max_iter=10, tol=1e-3):
    imputer = IterativeImputer(estimator=LinearRegression(), max_iter=max_iter, tol=tol, n_nearest_features=100,
                               random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        imputer.fit(train)
        kept = np.flatnonzero(~np.isnan(imputer.initial_imputer_.statistics_))
        return {
            "name": name,
            "max_iter": max_iter,
            "tol": tol,
            "train": nulls(train),
            "test": nulls(test),
            "kept": [int(k) for k in kept],
            "n_iter": int(imputer.n_iter_),
            "train_imputed": nulls(imputer.transform(train)),
            "test_imputed": nulls(imputer.transform(test)),
        }


def main():
    rng = np.random.default_rng(SEED)
    cases = []

    x = correlated(rng, 50, 5)
    cases.append(case("five correlated columns, 20% missing", knock_out(rng, x[:40], 0.2), knock_out(rng, x[40:], 0.3)))

    x = correlated(rng, 45, 4)
    train, test = knock_out(rng, x[:35], 0.25), knock_out(rng, x[35:], 0.3)
    train[:, 2] = np.nan
    cases.append(case("an all-NaN training column is dropped", train, test))
    # The change between rounds is the largest row sum of |change| (numpy's matrix infinity norm): this
    # tolerance stops after round 8 by it, after round 7 by the largest single change.
    cases.append(case("early stop on the largest row sum of changes", train, test, tol=3.5e-3))

    x = correlated(rng, 30, 6)
    train, test = knock_out(rng, x[:24], 0.15), knock_out(rng, x[24:], 0.4)
    train[:, 0] = x[:24, 0]
    test[:, 0] = np.nan
    cases.append(case("a column complete in train, missing in test", train, test, max_iter=3))

    x = correlated(rng, 40, 4)
    cases.append(case("tight tolerance: every round runs", knock_out(rng, x[:32], 0.2), knock_out(rng, x[32:], 0.3), tol=1e-14))

    x = correlated(rng, 30, 3)
    train = x[:25].copy()
    cases.append(case("complete training data: one round", train, knock_out(rng, x[25:], 0.4)))

    x = correlated(rng, 20, 2)
    train, test = knock_out(rng, x[:15], 0.2), knock_out(rng, x[15:], 0.4)
    train[:, 1] = np.nan
    cases.append(case("one valid feature: mean imputation only", train, test))

    json.dump({"generator": "Fixtures/generated/make_iterative_imputer.py", "sklearn": sklearn.__version__,
               "numpy": np.__version__, "seed": SEED, "cases": cases}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
