#!/usr/bin/env python3
"""Splits the committed R `airquality` table (samples/table/airquality.csv, 153 days of New York
air quality in 1973; its source and licence are in samples/table/index.json) into
data/real/table/{train,val,test}/ for `allspark train` and `eval`: one index.json entry per day
with an Ozone reading (116 of 153). Rule, by row number i (0-based): i % 5 == 4 → test,
i % 5 == 3 → validation, else training — every month in every split.
"""
import csv
import json
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "samples/table/airquality.csv")


def main():
    meta = json.load(open(os.path.join(ROOT, "samples/table/index.json")))["samples"][0]
    rows = list(csv.DictReader(open(SOURCE)))
    splits = {"train": [], "val": [], "test": []}
    for i, row in enumerate(rows):
        if row["Ozone"] in ("", "NA"):
            continue
        split = "test" if i % 5 == 4 else "val" if i % 5 == 3 else "train"
        splits[split].append({
            "file": "airquality.csv",
            "options": {"row": str(i), "target": "Ozone", "unit": "ppb"},
            "title": f"New York air quality, 1973-{int(row['Month']):02d}-{int(row['Day']):02d}",
            "source": meta["source"] + f"; split rule: row % 5 (scripts/make-table-splits.py)",
            "licence": meta["licence"],
            "generated": False,
            "label": {"value": float(row["Ozone"]), "unit": "ppb"},
        })
    for split, entries in splits.items():
        directory = os.path.join(ROOT, "data/real/table", split)
        os.makedirs(directory, exist_ok=True)
        shutil.copyfile(SOURCE, os.path.join(directory, "airquality.csv"))
        with open(os.path.join(directory, "index.json"), "w") as handle:
            json.dump({"samples": entries}, handle, indent=2)
            handle.write("\n")
        print(f"{directory}: {len(entries)} days")


if __name__ == "__main__":
    main()
