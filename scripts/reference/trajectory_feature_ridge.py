#!/usr/bin/env python3
"""How far a simple nonlinear read-out of the observed track gets on the generated trajectory
task: the room left above linear regression, measured outside the program with numpy.

Both predictors map the 8 observed positions (relative to the last one, 16 values) to the 12
future positions' deviation from constant velocity, fitted by ridge regression on the training
split, and are scored by ADE on the test split (metres), as `allspark eval` scores the head:
  - linear: the standardised track (what `eval`'s linear-regression baseline fits);
  - random features: the standardised track plus cos(W z + b) for 1,024 Gaussian W (seed 0).

    scripts/reference/trajectory_feature_ridge.py data/generated/trajectory/train data/generated/trajectory/test [LIMIT]
"""
import json
import os
import sys

import numpy as np


def load(directory, limit=None):
    entries = json.load(open(os.path.join(directory, "index.json")))["samples"][:limit]
    observed, future = [], []
    for entry in entries:
        pedestrian, start = int(entry["options"]["pedestrian"]), int(entry["options"]["start"])
        rows = np.loadtxt(os.path.join(directory, entry["file"]), ndmin=2)
        track = []
        for k in range(20):   # 8 observed + 12 future positions, every 10th frame
            hit = rows[(rows[:, 0] == start + 10 * k) & (rows[:, 1] == pedestrian)]
            track.append(hit[0, 2:4])
        observed.append(track[:8]); future.append(track[8:])
    return np.array(observed), np.array(future)


def constant_velocity(observed):
    velocity = observed[:, 7] - observed[:, 6]
    return observed[:, 7][:, None] + np.arange(1, 13)[None, :, None] * velocity[:, None]


def ade(predicted, future):
    return float(np.linalg.norm(predicted - future, axis=2).mean())


def fit_and_score(train, test, features, strength):
    (observed, future), (test_observed, test_future) = train, test
    relative = (observed - observed[:, 7:8]).reshape(len(observed), -1)
    mean, std = relative.mean(0), relative.std(0) + 1e-6
    def design(o):
        z = ((o - o[:, 7:8]).reshape(len(o), -1) - mean) / std
        return np.c_[features(z), np.ones(len(z))]
    x = design(observed)
    target = (future - constant_velocity(observed)).reshape(len(observed), -1)
    weights = np.linalg.solve(x.T @ x + strength * len(x) * np.eye(x.shape[1]), x.T @ target)
    predicted = constant_velocity(test_observed) + (design(test_observed) @ weights).reshape(-1, 12, 2)
    return ade(predicted, test_future)


def main():
    train_dir, test_dir = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    train, test = load(train_dir, limit), load(test_dir)
    rng = np.random.default_rng(0)
    w, b = rng.normal(size=(16, 1024)) / 4.0, rng.uniform(0, 2 * np.pi, 1024)
    print(f"{len(train[0])} training, {len(test[0])} test tracks")
    print(f"  constant velocity: ADE {ade(constant_velocity(test[0]), test[1]):.3f}")
    print(f"  linear ridge on the relative track: ADE {fit_and_score(train, test, lambda z: z, 1e-4):.3f}")
    print(f"  ridge on 1,024 random Fourier features of it: ADE {fit_and_score(train, test, lambda z: np.c_[z, np.cos(z @ w + b)], 1e-3):.3f}")


if __name__ == "__main__":
    main()
