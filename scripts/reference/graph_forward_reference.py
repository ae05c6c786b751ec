#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the graph encoder and the graph (series forecasting) head.

Writes Tests/AllSparkTests/Fixtures/forward/graph/:
  checkpoint.safetensors    the encoder's and the head's parameters (F32, numpy default_rng(20250330)
                            for the encoder, default_rng(20250331) for the head), metadata
                            allspark.modules = encoders.graph,heads.graph, written with
                            module_forward_reference's writer;
  input.npy                 the series window [12 steps, 5 nodes, 2 features] float32 (feature 0 the
                            speed in mph, 0 a missing reading; feature 1 is never read);
  time_of_day.npy           each step's fraction of the day [12] float32;
  day_of_week.npy           each step's day of the week [12] int64 (0 = Monday);
  expected_input.npy        the prepared channels [12, 5, 3] (standardised speed, time of day, day);
  expected.npy              the encoder tokens [60, 11] (step-major: position t · 5 + n);
  pooled.npy                the head's input, a pooled hidden state [16] float32 (its width stands
                            for the language model's);
  expected_head.npy         the head's raw linear outputs [15] (5 nodes × 3 future steps);
  expected_prediction.npy   the read-out: the forecast [5 nodes, 3 steps] in mph.
Tests/AllSparkTests/GraphForwardReferenceTests.swift loads the checkpoint strictly, encodes the
window, runs the head on pooled.npy with the window's last readings and compares every array (1e-4
of the largest expected magnitude).

Configuration: input { steps 12, nodes 5, stepsPerDay 24, mean 52.5, std 9.75 },
encoder { inputEmbedding 3, timeOfDayEmbedding 2, dayOfWeekEmbedding 2, adaptiveEmbedding 4 },
head { kind graph, nodes 5, steps 3, mean [52.5], std [9.75] }, head width 16.

The window runs hourly from 18:30 on a Sunday (day 6) to 05:30 on the Monday (day 0), so the
time-of-day slots are 18 … 23, 0 … 5 (fractions (h + 0.5) / 24, far from slot boundaries).
Encoder (GraphEncoder, STAEformer's input embedding; no transformer layers):
  c[t, n] = ((s[t, n, 0] - 52.5) / 9.75, tod_t, dow_t)      (zeros standardised like any reading)
  token[t · 5 + n] = [ W_in c[t, n] + b_in | T[floor(24 · tod_t)] | D[dow_t] | A[t, n] ]
  (`input_proj` 3 → 3, `tod_embedding.weight` [24, 2], `dow_embedding.weight` [7, 2],
   `adaptive_embedding` [12, 5, 4]; width 3 + 2 + 2 + 4 = 11).
Head (TaskHead, kind graph): o = W s + b (`heads.graph.weight` [15, 16], `.bias` [15]) on the pooled
vector s, o[n · 3 + k] the deviation of node n at future step k from persistence, in standard
deviations. Persistence (GraphPersistence.lastReadings): each node's last non-zero reading of
feature 0 in the window, or the head's mean 52.5 when it has none. Node 3's last two readings are
missing (its step-9 reading counts); node 4 never reports (it falls back on the mean).
  prediction[n, k] = o[n · 3 + k] · 9.75 + last[n].

Run: python3 scripts/reference/graph_forward_reference.py
"""
import os
import numpy as np

from module_forward_reference import write_safetensors

STEPS, NODES, STEPS_PER_DAY, MEAN, STD = 12, 5, 24, 52.5, 9.75
INPUT, TOD, DOW, ADAPTIVE = 3, 2, 2, 4
HORIZON, LM_WIDTH = 3, 16
HEAD_MEAN, HEAD_STD = 52.5, 9.75
PREFIX, HEAD = "encoders.graph", "heads.graph"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/graph"


def as_float32(p):
    """The checkpoint holds float32; the reference computes from exactly those values."""
    return {k: np.asarray(v, dtype=np.float32).astype(np.float64) for k, v in p.items()}


def encoder_parameters():
    rng = np.random.default_rng(20250330)
    return as_float32({
        PREFIX + ".input_proj.weight": 0.8 * rng.standard_normal((INPUT, 3)),
        PREFIX + ".input_proj.bias": 0.2 * rng.standard_normal(INPUT),
        PREFIX + ".tod_embedding.weight": rng.standard_normal((STEPS_PER_DAY, TOD)),
        PREFIX + ".dow_embedding.weight": rng.standard_normal((7, DOW)),
        PREFIX + ".adaptive_embedding": rng.uniform(-1, 1, (STEPS, NODES, ADAPTIVE)),
    })


def head_parameters(lm_width=LM_WIDTH):
    rng = np.random.default_rng(20250331)
    return as_float32({HEAD + ".weight": rng.standard_normal((NODES * HORIZON, lm_width)) / np.sqrt(lm_width),
                       HEAD + ".bias": 0.2 * rng.standard_normal(NODES * HORIZON)})


def window():
    """Speeds (feature 0) about 40-70 mph with missing readings (0), and a flow-like feature 1."""
    rng = np.random.default_rng(11)
    speed = np.round(rng.uniform(40, 70, (STEPS, NODES)), 2)
    speed[4, 1] = 0            # a missing reading inside the window
    speed[10:, 3] = 0          # node 3: the last two missing, persistence reads step 9
    speed[:, 4] = 0            # node 4: never reports
    flow = rng.uniform(100, 900, (STEPS, NODES))
    series = np.stack([speed, flow], axis=2).astype(np.float32)
    hours = (18.5 + np.arange(STEPS)) % 24
    time_of_day = (hours / 24).astype(np.float32)
    day_of_week = np.where(np.arange(STEPS) < 6, 6, 0).astype(np.int64)
    return series, time_of_day, day_of_week


def pooled_vector(lm_width=LM_WIDTH):
    return np.random.default_rng(12).standard_normal(lm_width).astype(np.float32)


def prepare(series, time_of_day, day_of_week):
    channels = np.empty((STEPS, NODES, 3))
    channels[..., 0] = (series[..., 0].astype(np.float64) - MEAN) / STD
    channels[..., 1] = time_of_day.astype(np.float64)[:, None]
    channels[..., 2] = day_of_week[:, None]
    return channels


def encoder(p, series, time_of_day, day_of_week):
    channels = prepare(series, time_of_day, day_of_week).reshape(STEPS * NODES, 3)
    slots = np.floor(time_of_day.astype(np.float64) * STEPS_PER_DAY).astype(int)
    step = np.arange(STEPS * NODES) // NODES
    return np.concatenate([
        channels @ p[PREFIX + ".input_proj.weight"].T + p[PREFIX + ".input_proj.bias"],
        p[PREFIX + ".tod_embedding.weight"][slots[step]],
        p[PREFIX + ".dow_embedding.weight"][day_of_week[step]],
        p[PREFIX + ".adaptive_embedding"].reshape(STEPS * NODES, ADAPTIVE),
    ], axis=1)


def last_readings(series):
    readings = []
    for node in range(NODES):
        present = [v for v in series[:, node, 0].astype(np.float64) if v != 0 and np.isfinite(v)]
        readings.append(present[-1] if present else HEAD_MEAN)
    return np.array(readings)


def head(p, pooled, series):
    """The raw outputs [15] and the forecast [5, 3]."""
    outputs = pooled.astype(np.float64) @ p[HEAD + ".weight"].T + p[HEAD + ".bias"]
    return outputs, outputs.reshape(NODES, HORIZON) * HEAD_STD + last_readings(series)[:, None]


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = {**encoder_parameters(), **head_parameters()}
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": f"{PREFIX},{HEAD}"})
    series, time_of_day, day_of_week = window()
    pooled = pooled_vector()
    channels, tokens = prepare(series, time_of_day, day_of_week), encoder(p, series, time_of_day, day_of_week)
    outputs, prediction = head(p, pooled, series)
    np.save(os.path.join(folder, "input.npy"), series)
    np.save(os.path.join(folder, "time_of_day.npy"), time_of_day)
    np.save(os.path.join(folder, "day_of_week.npy"), day_of_week)
    arrays = {"expected_input": channels, "expected": tokens, "pooled": pooled,
              "expected_head": outputs, "expected_prediction": prediction}
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
    print(f"slots {np.floor(time_of_day.astype(np.float64) * STEPS_PER_DAY).astype(int).tolist()}, "
          f"last readings {last_readings(series).tolist()}; tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}; "
          f"head outputs max {np.abs(outputs).max():.6g}; prediction {prediction.shape}, max {np.abs(prediction).max():.6g}")
