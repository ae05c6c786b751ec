#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the table encoder and the regression head.

Writes Tests/AllSparkTests/Fixtures/forward/table/:
  checkpoint.safetensors    the encoder's and the head's parameters (F32, numpy default_rng(20250320)
                            for the encoder, default_rng(20250321) for the head), metadata
                            allspark.modules = encoders.table,heads.table, written with
                            module_forward_reference's writer;
  expected_input.npy        the embedding index of every configured column [7] (as float32);
  expected.npy              the encoder tokens [7, 8];
  pooled.npy                the head's input, a pooled hidden state [16] float32 (its width stands
                            for the language model's);
  expected_head.npy         the head's raw linear outputs [2] (standardised);
  expected_prediction.npy   the read-out [2], unscaled.
The row itself is written out in the Swift test (ROW below, the same names and values): a row of
text and numbers has no .npy form. Tests/AllSparkTests/TableForwardReferenceTests.swift loads the
checkpoint strictly, encodes the row, runs the head on pooled.npy and compares every array (1e-4 of
the largest expected magnitude).

Configuration (COLUMNS below, in this order; the row holds them in another order, plus `No`, which
is not configured, and the target `PM2.5`, which is never read):
  input { target PM2.5, columns:
    station  discrete   ["Aotizhongxin", "Changping", "Dingling"]   value "Changping" → 1
    year     discrete   [2013, 2014, 2015]                          value 2016 (not listed) → 3 (unknown)
    TEMP     continuous edges [-5, 0, 5, 10, 20]                    value 5 (on an edge) → 3
    WSPM     continuous low 0, high 8, bins 4 (edges 2, 4, 6)       value 9.5 (beyond high) → 3
    RAIN     continuous edges [0.1, 1, 10]                          missing → 4 (the missing bin)
    wd       discrete   ["N", "E", "S", "W"]                        missing → 5 (after unknown)
    PRES     continuous low 990, high 1040, bins 5                  value 985.5 (below low) → 0 }
  encoder { width 8, depth 2, heads 2 } (mlpRatio default 4: hidden 32);
  head { kind regression, target PM2.5, unit µg/m³, mean [40.5, 25.25], std [30.25, 12.5] }, head width 16.

Indices (TableEncoder, TabFormer-style): a discrete column with n categories has n + 2 rows
(categories by position, matched as text with whole numbers written without a fraction; then
unknown; then missing); a continuous column with interior edges e_0 < … < e_{m-1} has m + 2 rows:
bin k holds e_{k-1} ≤ x < e_k (np.digitize, right=False), bin m + 1 is missing; `low, high, bins`
means the edges low + (high - low) · k / bins, k = 1 … bins - 1.
Encoder: x_c = V_c[index_c] + C[c] (`value_embeddings.<c>.weight`, `column_embedding.weight` [7, 8]),
then the transformer stack of trajectory_forward_reference (pre-norm blocks, fused qkv, 2 heads of
width 4, softmax(q kᵀ / 2) with no mask, exact GELU, LayerNorm eps 1e-6, final `norm`).
Head (TaskHead, kind regression): o = W s + b (`heads.table.weight` [2, 16], `.bias` [2]);
prediction[i] = o[i] · std[i] + mean[i].

Run: python3 scripts/reference/table_forward_reference.py
"""
import os
import numpy as np

from module_forward_reference import write_safetensors
from trajectory_forward_reference import as_float32, linear, linear_parameters, stack_parameters, transformer_stack

WIDTH, DEPTH, HEADS, HIDDEN = 8, 2, 2, 32
LM_WIDTH = 16
HEAD_MEAN, HEAD_STD = np.array([40.5, 25.25]), np.array([30.25, 12.5])
PREFIX, HEAD = "encoders.table", "heads.table"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/table"

COLUMNS = [
    {"name": "station", "kind": "discrete", "categories": ["Aotizhongxin", "Changping", "Dingling"]},
    {"name": "year", "kind": "discrete", "categories": [2013, 2014, 2015]},
    {"name": "TEMP", "kind": "continuous", "edges": [-5, 0, 5, 10, 20]},
    {"name": "WSPM", "kind": "continuous", "low": 0, "high": 8, "bins": 4},
    {"name": "RAIN", "kind": "continuous", "edges": [0.1, 1, 10]},
    {"name": "wd", "kind": "discrete", "categories": ["N", "E", "S", "W"]},
    {"name": "PRES", "kind": "continuous", "low": 990, "high": 1040, "bins": 5},
]
# The row as the loader gives it: None is a missing value.
ROW = {"No": 1, "PM2.5": 62.0, "RAIN": None, "wd": None, "year": 2016, "station": "Changping",
       "PRES": 985.5, "TEMP": 5, "WSPM": 9.5}


def edges(column):
    if "edges" in column:
        return np.array(column["edges"], dtype=np.float64)
    low, high, bins = column["low"], column["high"], column["bins"]
    return low + (high - low) * np.arange(1, bins) / bins


def rows(column):
    """Rows of the column's value table."""
    return len(column["categories"]) + 2 if column["kind"] == "discrete" else len(edges(column)) + 2


def key(value):
    """Categories and values compare as text; whole numbers without a fraction."""
    if isinstance(value, (int, float)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def index(column, value):
    if column["kind"] == "discrete":
        keys = [key(c) for c in column["categories"]]
        if value is None:
            return len(keys) + 1
        return keys.index(key(value)) if key(value) in keys else len(keys)
    e = edges(column)
    return len(e) + 1 if value is None else int(np.digitize(value, e, right=False))


def encoder_parameters():
    rng = np.random.default_rng(20250320)
    p = {f"{PREFIX}.value_embeddings.{c}.weight": 0.7 * rng.standard_normal((rows(column), WIDTH))
         for c, column in enumerate(COLUMNS)}
    p[PREFIX + ".column_embedding.weight"] = 0.5 * rng.standard_normal((len(COLUMNS), WIDTH))
    p.update(stack_parameters(rng, PREFIX, WIDTH, DEPTH, HIDDEN))
    return as_float32(p)


def head_parameters(lm_width=LM_WIDTH):
    rng = np.random.default_rng(20250321)
    return as_float32(linear_parameters(rng, HEAD, lm_width, len(HEAD_MEAN), 1 / np.sqrt(lm_width)))


def pooled_vector(lm_width=LM_WIDTH):
    return np.random.default_rng(8).standard_normal(lm_width).astype(np.float32)


def prepare(row):
    return np.array([index(column, row[column["name"]]) for column in COLUMNS])


def encoder(p, row):
    indices = prepare(row)
    x = np.stack([p[f"{PREFIX}.value_embeddings.{c}.weight"][i] for c, i in enumerate(indices)])
    return transformer_stack(p, PREFIX, x + p[PREFIX + ".column_embedding.weight"], DEPTH, HEADS)


def head(p, pooled):
    """The raw outputs [2] and the unscaled read-out [2]."""
    outputs = linear(p, HEAD, pooled.astype(np.float64))
    return outputs, outputs * HEAD_STD + HEAD_MEAN


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = {**encoder_parameters(), **head_parameters()}
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": f"{PREFIX},{HEAD}"})
    pooled = pooled_vector()
    indices, tokens = prepare(ROW), encoder(p, ROW)
    outputs, prediction = head(p, pooled)
    assert indices.tolist() == [1, 3, 3, 3, 4, 5, 0], indices
    arrays = {"expected_input": indices, "expected": tokens, "pooled": pooled,
              "expected_head": outputs, "expected_prediction": prediction}
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
    print(f"indices {indices.tolist()}; tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}; "
          f"head outputs {outputs}, prediction {prediction}")
