#!/usr/bin/env python3
"""results_check.py BIN weights/results/ROW.check.json: runs the recorded evaluation again on the
recorded subset (a committed folder, or `allspark synth …` made again) and compares every figure
of the report with the recorded one. Exit status 1 on a difference."""
import json
import subprocess
import sys
import tempfile

binary, path = sys.argv[1], sys.argv[2]
check = json.load(open(path))
recorded = check["report"]
with tempfile.TemporaryDirectory() as scratch:
    data = check["data"]
    if data.startswith("synth "):
        subprocess.run([binary, *data.split(), "--out", scratch + "/data"], check=True, capture_output=True)
        data = scratch + "/data"
    run = subprocess.run([binary, *check["arguments"], "--data", data], capture_output=True, text=True)
if run.returncode != 0:
    print(f"{path}: allspark {' '.join(check['arguments'])} failed: {run.stderr.strip()[-400:]}")
    sys.exit(1)
fresh = json.loads(run.stdout)
if fresh["samples"] == 0:
    print(f"{path}: the evaluation read no samples from {data}")
    sys.exit(1)


def figures(report):
    values = {"model": report["model"], "baseline": report["baseline"], "samples": report["samples"]}
    values.update({"extra " + k: v for k, v in report.get("extra", {}).items()})
    return values


# Float32 sums in another order (another BLAS kernel) move the last digits only.
different = [(name, value, figures(fresh).get(name)) for name, value in figures(recorded).items()
             if figures(fresh).get(name) is None or abs(figures(fresh)[name] - value) > 1e-4 * max(1.0, abs(value))]
row = path.split("/")[-1].removesuffix(".check.json")
if different or fresh["checkpoint"] != recorded["checkpoint"]:
    print(f"{row}: the fresh evaluation differs from the recorded one")
    for name, old, new in different:
        print(f"  {name}: recorded {old}, now {new}")
    if fresh["checkpoint"] != recorded["checkpoint"]:
        print(f"  weights: recorded {recorded['checkpoint']!r}, now {fresh['checkpoint']!r}")
    sys.exit(1)
print(f"{row}: {recorded['metric']} {fresh['model']:.4g} (baseline {fresh['baseline']:.4g}) on {fresh['samples']} samples, as recorded")
