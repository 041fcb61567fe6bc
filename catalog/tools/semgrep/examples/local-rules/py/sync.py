"""Syncs remote settings. The Semgrep example's rules match the calls below on purpose."""
import subprocess

import requests
import yaml


def fetch_settings(url: str) -> dict:
    response = requests.get(url)
    return yaml.load(response.text)


def fetch_defaults(url: str) -> dict:
    response = requests.get(url, timeout=10)
    return yaml.load(response.text, Loader=yaml.SafeLoader)


def archive(path: str) -> None:
    subprocess.run(f"tar czf {path}.tgz {path}", shell=True, check=True)
