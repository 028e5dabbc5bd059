"""The gas schedule: named constants, one raiser of OutOfGas, documented table."""

from __future__ import annotations

import pathlib
import re

import pytest

from tabellion.runtime import gas
from tabellion.runtime.errors import OutOfGas


def test_charge_runs_out_exactly_once_below_zero():
    meter = gas.GasMeter(10)
    gas.charge(meter, 10)
    assert meter.left == 0 and meter.used == 10
    with pytest.raises(OutOfGas):
        gas.charge(meter, 1)
    assert meter.used == 10


def test_out_of_gas_is_raised_in_one_place_only():
    runtime = pathlib.Path(gas.__file__).parent
    raisers = [p for p in runtime.rglob("*.py") if re.search(r"raise OutOfGas\b", p.read_text())]
    assert [p.name for p in raisers] == ["gas.py"]


def test_every_constant_is_in_the_schedule():
    names = {name for name, _, _ in gas.SCHEDULE}
    constants = {n for n, v in vars(gas).items() if n.isupper() and isinstance(v, int)}
    assert constants - names == {"DEFAULT_GAS_LIMIT", "BLOCK_GAS_LIMIT", "MAX_CALL_DEPTH", "LOCAL_READ"}
    assert all(getattr(gas, name) == cost for name, cost, _ in gas.SCHEDULE)
