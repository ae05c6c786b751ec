# Infrared re-identification probe (not part of the product; needs `pip install jax pillow`):
# is the generated IR-to-RGB matching task learnable by a plain two-branch CNN, on people never
# seen in training? Two small CNNs (IR, RGB; four stride-2 3×3 convolutions with per-sample RMS
# normalisation) → a shared projection → L2-normalised embeddings; loss: softmax over each
# sample's 5 gallery images of 10 × cosine (InfoNCE within the sample); metric: rank-1 on the
# test folder, whose people come from another seed's pool. No language model: this asks only
# whether the cue is there, as infrared_dinov2_probe.py asked whether a frozen backbone sees it.
# Usage: python3 scripts/reference/infrared_siamese_probe.py TRAIN_DIR TEST_DIR ITERATIONS
#   e.g. TRAIN_DIR from `allspark synth infrared --count 3000 --seed 101 --identities 400`,
#        TEST_DIR data/generated/infrared/test (120 samples, seed 303).
# 2026-12-06 (AMD EPYC Zen 4, one thread, beside a training run): rank-1 0.108 at the start,
# 0.225 after 100 iterations of 32 samples, 0.392 after 200, 0.442–0.458 after 400–500, 0.400
# after 600 (the training loss 0.12: it overfits); chance is 0.20.
import json, os, sys, time, numpy as np
from PIL import Image
import jax, jax.numpy as jnp
def load(d, n=None):
    idx = json.load(open(os.path.join(d, 'index.json')))
    ents = idx['samples']  # the index.json `allspark synth` writes
    Q, G, M = [], [], []
    for e in ents[:n]:
        f = os.path.join(d, e['file'])
        q = np.asarray(Image.open(f + '/query.png').convert('L'), np.float32) / 255
        gs = sorted(os.listdir(f + '/gallery'))
        g = [np.asarray(Image.open(f + '/gallery/' + x).convert('RGB'), np.float32) / 255 for x in gs]
        m = json.load(open(f + '/index.json'))['match']
        Q.append(q); G.append(np.stack(g)); M.append(gs.index(m))
    return np.stack(Q)[..., None], np.stack(G), np.array(M)
tr = load(sys.argv[1]); te = load(sys.argv[2])
print('train', tr[0].shape, tr[1].shape, 'test', te[0].shape, flush=True)
def norm(x): return (x - x.mean(axis=(1, 2, 3), keepdims=True)) / (x.std(axis=(1, 2, 3), keepdims=True) + 1e-5)
def conv(x, w, s): return jax.lax.conv_general_dilated(x, w, (s, s), 'SAME', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
def init(key, cin, widths):
    ps = []
    for wd in widths:
        key, k = jax.random.split(key); ps.append(jax.random.normal(k, (3, 3, cin, wd)) * np.sqrt(2 / (9 * cin))); cin = wd
    return ps
def branch(ps, x):
    for w in ps: x = jax.nn.relu(conv(x, w, 2)); x = x / (jnp.sqrt((x ** 2).mean(axis=(1, 2, 3), keepdims=True)) + 1e-5)
    return x.reshape(x.shape[0], -1)
W = [16, 32, 64, 64]
key = jax.random.PRNGKey(0); k1, k2, k3 = jax.random.split(key, 3)
F = 64 * 8 * 4
params = {'ir': init(k1, 1, W), 'rgb': init(k2, 3, W), 'p': jax.random.normal(k3, (F, 128)) / np.sqrt(F)}
def embed(p, q, g):
    a = branch(p['ir'], norm(q)) @ p['p']; b = branch(p['rgb'], norm(g)) @ p['p']
    a = a / jnp.linalg.norm(a, axis=1, keepdims=True); b = b / jnp.linalg.norm(b, axis=1, keepdims=True)
    return a, b
def loss(p, q, g, m):  # softmax over the 5 gallery images (InfoNCE-style within the sample)
    B = q.shape[0]
    a, b = embed(p, q, g.reshape((-1,) + g.shape[2:]))
    b = b.reshape(B, 5, -1)
    s = jnp.einsum('bd,bkd->bk', a, b) * 10
    return -jnp.mean(jax.nn.log_softmax(s)[jnp.arange(B), m])
@jax.jit
def step(p, mo, q, g, m, t):
    l, gr = jax.value_and_grad(loss)(p, q, g, m)
    mo = jax.tree.map(lambda mm, gg: 0.9 * mm + 0.1 * gg, mo, gr)
    p = jax.tree.map(lambda pp, mm: pp - 1e-3 * mm / (jnp.sqrt(jnp.mean(mm ** 2)) + 1e-8) * 0.1, p, mo)
    return p, mo, l
@jax.jit
def rank1(p, q, g, m):
    B = q.shape[0]; a, b = embed(p, q, g.reshape((-1,) + g.shape[2:])); s = jnp.einsum('bd,bkd->bk', a, b.reshape(B, 5, -1))
    return jnp.mean(jnp.argmax(s, 1) == m)
mo = jax.tree.map(jnp.zeros_like, params); t0 = time.time(); rng = np.random.default_rng(0)
for it in range(int(sys.argv[3])):
    i = rng.integers(0, len(tr[2]), 32)
    params, mo, l = step(params, mo, tr[0][i], tr[1][i], tr[2][i], it)
    if it % 100 == 0: print(it, f'{time.time()-t0:.0f}s loss {float(l):.3f} test rank-1 {float(rank1(params, *te)):.3f}', flush=True)
print('final test rank-1', float(rank1(params, *te)))
