"""Fault tests share the chain helpers of tests/runtime (chain_world.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "runtime"))
