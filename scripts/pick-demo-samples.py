#!/usr/bin/env python3
"""Copies held-out test samples into samples/<modality>/ for the demo: two on which the trained
model is right and one on which it is wrong (when there is one), each titled as such.

Which samples are right or wrong comes from `allspark eval --per-sample --json` on the test split
with the committed weights; nothing is chosen by hand. Run after `make train` (the test splits
are under data/real/<modality>/test when `make data` made one, else data/generated/<modality>/test).
Entries it wrote before are replaced and their files deleted; others are kept. The new entries
go first in the index, so the TUI opens on a held-out sample of the trained model's data.

    scripts/pick-demo-samples.py rgb msi graph ...
    LIMIT=40 scripts/pick-demo-samples.py text     (only the first 40 test samples are evaluated)
"""
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN", os.path.join(ROOT, ".build/release/allspark"))
MARK = "held-out test sample"
# Rows with their own configuration: name → (modality, configuration, data folder, title mark,
# file prefix). Their samples sit beside the modality's others, told apart by the mark.
VARIANTS = {"rgb-fashion": ("rgb", "configs/allspark-fashion.json", "data/real/rgb-fashion",
                            "held-out Fashion-MNIST test sample for configs/allspark-fashion.json", "fashion-test-")}


def evaluate(name):
    if name in VARIANTS:
        modality, config, folder = VARIANTS[name][:3]
    else:
        # Real splits (data/real/<modality>, e.g. the airquality table) before generated ones.
        modality, config = name, "configs/allspark-trained.json"
        kind = "real" if os.path.isdir(os.path.join(ROOT, "data/real", modality)) else "generated"
        folder = f"data/{kind}/{modality}"
    test = f"{folder}/test"
    command = [BIN, "eval", "--modality", modality, "--config", config, "--data", test, "--baseline-data",
               f"{folder}/train", "--larf", "0", "--per-sample", "--json"]
    if os.environ.get("LIMIT"):  # the first N test samples only (text has 2,279)
        command += ["--limit", os.environ["LIMIT"]]
    report = json.loads(subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    return test, report


def pick(outcomes):
    right = [o for o in outcomes if o["right"]][:2]
    wrong = [o for o in outcomes if not o["right"]][:1]
    return right + wrong


def describe(outcome, report):
    verdict = "the model is right" if outcome["right"] else "the model is wrong"
    if outcome.get("predicted") is not None:
        return f"{verdict}: {outcome['label']}, predicted {outcome['predicted']}"
    metric = report["metric"]
    return (f"{verdict}: {metric} {outcome['model']:.3g} against {outcome['baseline']:.3g} "
            f"for {report['baselineName']}")


def main(names):
    for name in names:
        modality, _, _, mark, prefix = VARIANTS.get(name, (name, None, None, MARK, "test-"))
        test, report = evaluate(name)
        catalog = json.load(open(os.path.join(ROOT, test, "index.json")))
        by_file = {entry["file"]: entry for entry in catalog["samples"]}
        target = os.path.join(ROOT, "samples", modality)
        index_path = os.path.join(target, "index.json")
        index = json.load(open(index_path))
        # An earlier pick's entry: its title is the mark and the verdict. Not every title that
        # mentions a held-out sample (msi's GeoTIFF and ENVI copies of a picked one say so, and
        # share its stem: scripts/make-raster-samples.sh).
        def written_here(entry):
            return entry.get("title", "").startswith(mark + " (")
        kept_stems = {os.path.splitext(e["file"])[0] for e in index["samples"] if not written_here(e)}
        for stale in [e for e in index["samples"] if written_here(e)]:
            path = os.path.join(target, stale["file"])
            if os.path.splitext(stale["file"])[0] in kept_stems:
                if os.path.exists(path):
                    os.remove(path)  # the stem's other files belong to a kept entry too
            else:
                remove_with_sidecars(path)
        index["samples"] = [e for e in index["samples"] if not written_here(e)]
        picked = []
        chosen = pick(report["outcomes"])
        for outcome in chosen:
            path = outcome["sample"].split("#")[0]
            name = os.path.relpath(path, test) if not os.path.isabs(path) else os.path.relpath(path, os.path.join(ROOT, test))
            entry = dict(by_file[name])
            # A graph sample needs its network's distances: the held-out days go in their own
            # folder with that network's distances.csv (the real Auckland one, or a later split
            # of the generated road network).
            folder = ("auckland" if "real" in test else "test") if modality == "graph" else ""
            destination = os.path.join(target, folder, prefix + name)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            source = os.path.join(ROOT, test, name)
            if os.path.isdir(source):
                shutil.rmtree(destination, ignore_errors=True)
                shutil.copytree(source, destination)
            else:
                # The file and its sidecars (an MSI patch's band list: same stem, another extension).
                stem = os.path.splitext(os.path.basename(name))[0]
                for sibling in os.listdir(os.path.dirname(source)):
                    if os.path.splitext(sibling)[0] == stem:
                        shutil.copyfile(os.path.join(os.path.dirname(source), sibling),
                                        os.path.join(os.path.dirname(destination), prefix + sibling))
            if modality == "graph":
                for shared in ("distances.csv", "sensors.txt"):
                    if os.path.exists(os.path.join(ROOT, test, shared)):
                        shutil.copyfile(os.path.join(ROOT, test, shared), os.path.join(target, folder, shared))
            entry["file"] = os.path.join(folder, prefix + name)
            entry["title"] = f"{mark} ({describe(outcome, report)})"
            picked.append(entry)
            print(f"{modality}: {entry['file']}: {entry['title']}")
        if not any(not o["right"] for o in chosen):
            print(f"{modality}: the model is right on every test sample; no wrong one to show")
        # The default configuration's picks go first (the TUI opens on them); a variant's last.
        index["samples"] = index["samples"] + picked if name in VARIANTS else picked + index["samples"]
        write_index(index_path, index)
        if modality == "graph":
            # The loader reads a sample's provenance from the index.json beside the file.
            for folder in ("test", "auckland"):
                subfolder = [dict(e, file=e["file"][len(folder) + 1:]) for e in index["samples"] if e["file"].startswith(folder + "/")]
                if subfolder:
                    write_index(os.path.join(target, folder, "index.json"), {"samples": subfolder})
                elif os.path.isdir(os.path.join(target, folder)):
                    shutil.rmtree(os.path.join(target, folder))


def remove_with_sidecars(path):
    """Deletes a sample file written by an earlier run and its sidecars (same stem)."""
    directory, stem = os.path.dirname(path), os.path.splitext(os.path.basename(path))[0]
    if os.path.isdir(directory):
        for sibling in os.listdir(directory):
            if os.path.splitext(sibling)[0] == stem:
                os.remove(os.path.join(directory, sibling))


def write_index(path, index):
    with open(path, "w") as handle:
        json.dump(index, handle, indent=2, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:] or ["rgb", "trajectory", "graph", "msi"])
