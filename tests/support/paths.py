"""Where the repository and the test data are, from anywhere in the test tree."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
