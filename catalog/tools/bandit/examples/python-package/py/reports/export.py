"""Exports stored reports. Every finding Bandit reports here is deliberate."""
import hashlib
import pickle
import subprocess

DB_PASSWORD = "hunter2"


def checksum(data: bytes) -> str:
    # B324: MD5 for a checksum that callers treat as an integrity check.
    return hashlib.md5(data).hexdigest()


def convert(name: str) -> str:
    # B602: the file name reaches a shell.
    return subprocess.check_output(f"pandoc {name} -t plain", shell=True).decode()


def load_cache(blob: bytes) -> object:
    # B301: unpickling data read from the cache directory.
    return pickle.loads(blob)
