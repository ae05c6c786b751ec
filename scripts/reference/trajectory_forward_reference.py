#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the trajectory encoder and the trajectory head.

Writes Tests/AllSparkTests/Fixtures/forward/trajectory/:
  checkpoint.safetensors    the encoder's and the head's parameters (F32, numpy default_rng(20250310)
                            for the encoder, default_rng(20250311) for the head), metadata
                            allspark.modules = encoders.trajectory,heads.trajectory, written with
                            module_forward_reference's writer;
  input.npy                 the observed track [8, 2] float32, in scene coordinates (metres);
  expected_input.npy        the preprocessed network input [8, 2] (relative to the last position);
  expected.npy              the encoder tokens [8, 12];
  pooled.npy                the head's input, a pooled hidden state [16] float32 (its width stands
                            for the language model's);
  expected_head.npy         the head's raw linear outputs [12];
  expected_prediction.npy   the read-out: future positions [6, 2] in scene coordinates.
Tests/AllSparkTests/TrajectoryForwardReferenceTests.swift loads the checkpoint strictly, encodes the
track, runs the head on pooled.npy with the track's origin and last step, and compares every array
(1e-4 of the largest expected magnitude).

Configuration: input { steps 8 }, encoder { width 12, depth 2, heads 3, mlpRatio 1.5 },
head { kind trajectory, steps 6, mean [0.25, -0.5], std [0.75, 1.5] }, head width 16.

Preprocessing (TrajectoryNormalisation.relativeToLastObserved): r_t = p_t - p_7 (so r_7 = 0).
Encoder (TrajectoryEncoder, TUTR-style; TransformerStack, timm's pre-norm block):
  x_t = W_in r_t + b_in + E_t                    (`input_proj` 2 → 12, `pos_embed` [8, 12])
  per block i (`blocks.<i>`):
    h = LN1(x);  [q | k | v] = h W_qkvᵀ + b_qkv   (fused `attn.qkv` [36, 12], q, k, v in that order)
    per head j (3 heads of width 4, columns 4j … 4j+3): A_j = softmax(q_j k_jᵀ / sqrt(4)) v_j,
      every step attending to every step (no mask);
    x += [A_0 | A_1 | A_2] W_projᵀ + b_proj       (`attn.proj`)
    x += GELU(LN2(x) W_1ᵀ + b_1) W_2ᵀ + b_2        (`mlp.fc1` 12 → 18 = round(12 · 1.5), `mlp.fc2`)
  tokens = LN(x)                                  (`norm`)
  LayerNorm: (x - mean) / sqrt(var + 1e-6) · w + b over the last axis, population variance;
  GELU exact: 0.5 · x · (1 + erf(x / sqrt(2))).
Head (TaskHead, kind trajectory): o = W s + b (`heads.trajectory.weight` [12, 16], `.bias` [12]) on
the pooled vector s; o is [6 future steps × (x, y)], each the standardised deviation from constant
velocity. Read-out, with origin p_7 and last step v = p_7 - p_6 (TrajectoryVelocity.lastStep):
  prediction[k, c] = (o[2k + c] · std[c] + mean[c]) + p_7[c] + (k + 1) · v[c],  k = 0 … 5, c ∈ {x, y}.

Run: python3 scripts/reference/trajectory_forward_reference.py
"""
import os
import numpy as np

from module_forward_reference import gelu, layer_norm, write_safetensors

STEPS, WIDTH, DEPTH, HEADS, MLP_RATIO = 8, 12, 2, 3, 1.5
HIDDEN = int(round(WIDTH * MLP_RATIO))
FUTURE, LM_WIDTH = 6, 16
HEAD_MEAN, HEAD_STD = np.array([0.25, -0.5]), np.array([0.75, 1.5])
PREFIX, HEAD = "encoders.trajectory", "heads.trajectory"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/trajectory"


# --- A plain transformer stack (TransformerStack.swift): the table encoder's script imports these.

def layer_norm_parameters(rng, name, width):
    return {name + ".weight": 1 + 0.2 * rng.uniform(-1, 1, width), name + ".bias": 0.1 * rng.standard_normal(width)}


def linear_parameters(rng, name, inputs, outputs, std):
    return {name + ".weight": std * rng.standard_normal((outputs, inputs)), name + ".bias": 0.1 * rng.standard_normal(outputs)}


def stack_parameters(rng, prefix, width, depth, hidden):
    """`<prefix>.blocks.<i>.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}` and `<prefix>.norm`.
    Weights of std about 1.2 / sqrt(fan-in), so the attention is far from uniform."""
    p = {}
    for i in range(depth):
        b = f"{prefix}.blocks.{i}"
        p.update(layer_norm_parameters(rng, b + ".norm1", width))
        p.update(linear_parameters(rng, b + ".attn.qkv", width, 3 * width, 1.2 / np.sqrt(width)))
        p.update(linear_parameters(rng, b + ".attn.proj", width, width, 1 / np.sqrt(width)))
        p.update(layer_norm_parameters(rng, b + ".norm2", width))
        p.update(linear_parameters(rng, b + ".mlp.fc1", width, hidden, 1.2 / np.sqrt(width)))
        p.update(linear_parameters(rng, b + ".mlp.fc2", hidden, width, 1 / np.sqrt(hidden)))
    p.update(layer_norm_parameters(rng, prefix + ".norm", width))
    return p


def linear(p, name, x):
    return x @ p[name + ".weight"].T + p[name + ".bias"]


def self_attention(q, k, v, heads):
    """Multi-head scaled dot-product attention, no mask: [N, D] each → [N, D]."""
    width = q.shape[1] // heads
    out = []
    for j in range(heads):
        s = slice(j * width, (j + 1) * width)
        scores = q[:, s] @ k[:, s].T / np.sqrt(width)
        weights = np.exp(scores - scores.max(axis=1, keepdims=True))
        out.append(weights / weights.sum(axis=1, keepdims=True) @ v[:, s])
    return np.concatenate(out, axis=1)


def transformer_stack(p, prefix, x, depth, heads):
    """Pre-norm blocks then the final LayerNorm, LayerNorm eps 1e-6, exact GELU."""
    width = x.shape[1]
    for i in range(depth):
        b = f"{prefix}.blocks.{i}"
        h = linear(p, b + ".attn.qkv", layer_norm(x, p[b + ".norm1.weight"], p[b + ".norm1.bias"], 1e-6))
        x = x + linear(p, b + ".attn.proj", self_attention(h[:, :width], h[:, width:2 * width], h[:, 2 * width:], heads))
        h = linear(p, b + ".mlp.fc1", layer_norm(x, p[b + ".norm2.weight"], p[b + ".norm2.bias"], 1e-6))
        x = x + linear(p, b + ".mlp.fc2", gelu(h))
    return layer_norm(x, p[prefix + ".norm.weight"], p[prefix + ".norm.bias"], 1e-6)


def as_float32(p):
    """The checkpoint holds float32; the reference computes from exactly those values."""
    return {k: np.asarray(v, dtype=np.float32).astype(np.float64) for k, v in p.items()}


# --- The trajectory encoder and head.

def encoder_parameters():
    rng = np.random.default_rng(20250310)
    p = linear_parameters(rng, PREFIX + ".input_proj", 2, WIDTH, 0.5)
    p[PREFIX + ".pos_embed"] = 0.5 * rng.standard_normal((STEPS, WIDTH))
    p.update(stack_parameters(rng, PREFIX, WIDTH, DEPTH, HIDDEN))
    return as_float32(p)


def head_parameters(lm_width=LM_WIDTH):
    rng = np.random.default_rng(20250311)
    return as_float32(linear_parameters(rng, HEAD, lm_width, 2 * FUTURE, 0.5 / np.sqrt(lm_width)))


def observed_track():
    """A pedestrian turning left at about 1.3 m per step, with jitter, far from the scene origin."""
    rng = np.random.default_rng(5)
    heading = 0.3 + 0.12 * np.arange(STEPS) + 0.05 * rng.standard_normal(STEPS)
    steps = 1.3 * np.stack([np.cos(heading), np.sin(heading)], axis=1)
    return (np.array([12.5, -3.25]) + np.cumsum(steps, axis=0)).astype(np.float32)


def pooled_vector(lm_width=LM_WIDTH):
    return np.random.default_rng(6).standard_normal(lm_width).astype(np.float32)


def prepare(observed):
    observed = observed.astype(np.float64)
    return observed - observed[-1]


def encoder(p, observed):
    x = linear(p, PREFIX + ".input_proj", prepare(observed)) + p[PREFIX + ".pos_embed"]
    return transformer_stack(p, PREFIX, x, DEPTH, HEADS)


def head(p, pooled, observed):
    """The raw outputs [12] and the read-out [6, 2]."""
    outputs = linear(p, HEAD, pooled.astype(np.float64))
    observed = observed.astype(np.float64)
    origin, velocity = observed[-1], observed[-1] - observed[-2]
    k = np.arange(1, FUTURE + 1)[:, None]
    prediction = outputs.reshape(FUTURE, 2) * HEAD_STD + HEAD_MEAN + origin + k * velocity
    return outputs, prediction


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = {**encoder_parameters(), **head_parameters()}
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": f"{PREFIX},{HEAD}"})
    observed, pooled = observed_track(), pooled_vector()
    tokens = encoder(p, observed)
    outputs, prediction = head(p, pooled, observed)
    arrays = {"input": observed, "expected_input": prepare(observed), "expected": tokens, "pooled": pooled,
              "expected_head": outputs, "expected_prediction": prediction}
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
    print(f"tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}; head outputs max {np.abs(outputs).max():.6g}; "
          f"prediction {prediction.shape}, max {np.abs(prediction).max():.6g}")
