#!/usr/bin/env python3
"""Where does the trajectory pipeline lose what it knows? Linear probes on every stage.

For each sample of a training and a test folder (index.json, as `allspark synth trajectory`
writes), runs `allspark trace-export` through the encoder, bridge and language-model stages and
fits a ridge regression from each stage's tensors to the sample's deviation from constant
velocity (the trajectory head's target), on the training samples; the ridge strength is chosen by
5-fold cross-validation on them. Prints each probe's ADE on the test samples beside constant
velocity's, all from this run (the head's own ADE: `allspark eval --modality trajectory`).

A stage whose probe is as good as the raw track's has kept the information; one whose probe is
no better than constant velocity has lost it, whatever the head does after it.

    scripts/probe-trajectory.py --train data/generated/trajectory/train --test data/generated/trajectory/test

About 1.5 s per sample on 2 cores (three pipeline runs each); numpy only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

OBSERVED, FUTURE = 8, 12


def read_tracks(path):
    """{pedestrian: {frame: (x, y)}} from an ETH/UCY text file."""
    tracks = {}
    with open(path) as handle:
        for line in handle:
            fields = line.split()
            if len(fields) >= 4:
                tracks.setdefault(int(float(fields[1])), {})[int(float(fields[0]))] = (float(fields[2]), float(fields[3]))
    return tracks


def samples(folder, count):
    """(sample argument, deviation of the future from constant velocity [24]) for the first `count`."""
    entries = json.load(open(os.path.join(folder, "index.json")))["samples"][:count]
    result = []
    for entry in entries:
        path = os.path.join(folder, entry["file"])
        tracks = read_tracks(path)
        pedestrian, start = int(entry["options"]["pedestrian"]), int(entry["options"]["start"])
        frames = sorted(tracks[pedestrian])
        step = min(b - a for a, b in zip(frames, frames[1:]))
        track = np.array([tracks[pedestrian][start + k * step] for k in range(OBSERVED + FUTURE)])
        velocity = track[OBSERVED - 1] - track[OBSERVED - 2]
        constant = track[OBSERVED - 1] + velocity * np.arange(1, FUTURE + 1)[:, None]
        result.append((f"{path}#pedestrian={pedestrian}&start={start}", (track[OBSERVED:] - constant).ravel()))
    return result


def export(binary, config, sample, directory):
    """The stages' tensors of one sample: raw track, encoder tokens, bridge tokens, LM states."""
    for stage in ("encoder", "bridge", "language-model"):
        subprocess.run([binary, "trace-export", "--config", config, "--modality", "trajectory", "--sample", sample,
                        "--stage", stage, "--out", directory], check=True, stdout=subprocess.DEVNULL)
    trace = json.load(open(os.path.join(directory, "trace.json")))
    modality = next(part for part in trace["sequence"] if part["kind"] == "modality")
    hidden = np.load(os.path.join(directory, "language-model_final_hidden.npy"))
    rows = slice(modality["start"], modality["start"] + modality["length"])
    return {
        "observed track (relative)": np.load(os.path.join(directory, "encoder_input.npy")).ravel(),
        "encoder tokens": np.load(os.path.join(directory, "encoder_tokens.npy")).ravel(),
        "bridge tokens": np.load(os.path.join(directory, "bridge_tokens.npy")).ravel(),
        "LM final states at the bridge tokens": hidden[rows].ravel(),
        "LM final states' mean over the bridge tokens (a modality-mean head's input)": hidden[rows].mean(axis=0),
        "LM final state at the last position (a last-position head's input)": hidden[-1],
    }


def ade(predicted, target):
    return float(np.mean(np.linalg.norm((predicted - target).reshape(len(target), FUTURE, 2), axis=2).mean(axis=1)))


def ridge(train_x, train_y, strength):
    """Kernel (dual) ridge on standardised features: works with more features than samples."""
    mean, std = train_x.mean(0), train_x.std(0) + 1e-6
    a = (train_x - mean) / std
    offset = train_y.mean(0)
    alpha = np.linalg.solve(a @ a.T + strength * np.eye(len(a)), train_y - offset)
    return lambda x: ((x - mean) / std) @ a.T @ alpha + offset


def probe(train_x, train_y, test_x):
    """Predictions on `test_x` with the ridge strength that 5-fold cross-validation chose."""
    strengths = [1e-2, 1, 1e2, 1e4]
    folds = np.array_split(np.arange(len(train_x)), 5)
    def cv_error(strength):
        errors = []
        for fold in folds:
            keep = np.setdiff1d(np.arange(len(train_x)), fold)
            errors.append(ade(ridge(train_x[keep], train_y[keep], strength)(train_x[fold]), train_y[fold]))
        return np.mean(errors)
    best = min(strengths, key=cv_error)
    return ridge(train_x, train_y, best)(test_x), best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--train-count", type=int, default=300)
    parser.add_argument("--test-count", type=int, default=100)
    parser.add_argument("--config", default="configs/allspark-trained.json")
    parser.add_argument("--bin", default=".build/release/allspark")
    arguments = parser.parse_args()

    def collect(folder, count):
        features, targets = {}, []
        with tempfile.TemporaryDirectory() as scratch:
            for index, (sample, target) in enumerate(samples(folder, count)):
                stages = export(arguments.bin, arguments.config, sample, os.path.join(scratch, str(index)))
                for name, values in stages.items():
                    features.setdefault(name, []).append(values)
                targets.append(target)
                print(f"\r{folder}: {index + 1}/{count}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        return {name: np.array(rows) for name, rows in features.items()}, np.array(targets)

    train_x, train_y = collect(arguments.train, arguments.train_count)
    test_x, test_y = collect(arguments.test, arguments.test_count)
    print(f"{len(train_y)} training and {len(test_y)} test samples (config {arguments.config})")
    print(f"  constant velocity: ADE {ade(np.zeros_like(test_y), test_y):.3f} m")
    for name in train_x:
        predicted, strength = probe(train_x[name], train_y, test_x[name])
        spread = train_x[name].std(0)
        print(f"  linear probe on {name} ({train_x[name].shape[1]} values, ridge {strength:g}): ADE {ade(predicted, test_y):.3f} m"
              f"  (spread across samples: median {np.median(spread):.3g}, largest {spread.max():.3g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
