#!/usr/bin/env python3
"""Turns `allspark shapes --json` (the tiny configuration's shapes) into one line per modality for
the end-to-end tests, so the expected shapes live in one place: the configuration itself.

Output, tab-separated: modality, encoder token shape as the TUI prints it ("65 × 192"; a
sample-dependent count becomes just "× D"), bridge output shape ("-" when there is no bridge),
head kind. Modalities missing from the configuration are listed with "unconfigured".
"""
import json
import sys

MODALITIES = ["text", "code", "rgb", "msi", "hsi", "table", "trajectory", "sar", "infrared",
              "graph", "oblique", "video", "pointcloud"]


def shape(dims):
    if dims is None:
        return "-"
    if dims and dims[0] < 0:  # the token count depends on the sample: check the width only
        return "× " + " × ".join(str(d) for d in dims[1:])
    return " × ".join(str(d) for d in dims)


def main():
    report = json.load(sys.stdin)
    rows = {row["modality"]: row for row in report["rows"]}
    for modality in MODALITIES:
        row = rows.get(modality)
        if row is None:
            print(f"{modality}\tunconfigured\t-\t-")
        else:
            print(f"{modality}\t{shape(row['encoderTokens'])}\t{shape(row.get('bridgeOutput'))}\t{row['headKind']}")


if __name__ == "__main__":
    main()
