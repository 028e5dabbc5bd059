"""Property testing of Tabellion contracts with Hypothesis (also importable as `tabellion.testing`).

- Strategies for every Tabellion type (`money`, `rates`, `dates`, `times`,
  `durations`, `texts`, `ints`, `parties`, `enum_members`, `records`, and
  `from_type` for any `lang.types` type) and `calls(contract)`, which draws an
  entry, its arguments, a caller and a payment.
- `machine_for(checked, contract)`: a `RuleBasedStateMachine` that deploys the
  contract and calls its entries, funds parties and moves the clock, checking
  invariants, money conservation, refusals, permissions and internal errors after
  every step (`machine.py` says how each is reported).
- `run_property` runs a `property "name" (params) where cond { steps }` block;
  `run_file(path)` runs everything in a file, as `tabellion test` does.
- `load_contract` / `ContractHandle`: a deployed contract whose entries are Python
  methods, for pytest (fixtures `chain`, `parties`, `load_contract` in `.plugin`).

Failures are `ContractFailure` (the contract's fault) or `TabellionBug` (ours);
both render their steps as a `scenario` to paste into the file.

Names load lazily, so importing the pytest plugin costs nothing until it is used.
"""

from __future__ import annotations

from importlib import import_module

__all__ = [
    # strategies
    "money", "rates", "dates", "times", "durations", "texts", "ints", "parties", "enum_members", "records",
    "from_type", "calls", "Call", "Unsupported", "DEFAULT_PARTIES",
    # machines, properties, files
    "machine_for", "ContractMachine", "MachinePlan", "run_machine", "run_property", "run_file", "Options",
    "Outcome", "FileReport", "PROFILES",
    # failures
    "CheckFailed", "ContractFailure", "TabellionBug",
    # pytest-facing handles
    "load_contract", "deploy_contract", "ContractHandle", "CallFailed", "Parties", "to_value",
    "compile_path_or_source", "check_contract",
]

_WHERE = {
    **dict.fromkeys(("money", "rates", "dates", "times", "durations", "texts", "ints", "parties", "enum_members",
                     "records", "from_type", "Unsupported", "DEFAULT_PARTIES"), "strategies"),
    **dict.fromkeys(("calls", "Call"), "drawing"),
    **dict.fromkeys(("machine_for", "ContractMachine"), "machine"),
    "MachinePlan": "plan",
    **dict.fromkeys(("run_machine", "run_property", "run_file", "Options", "Outcome", "FileReport", "PROFILES"),
                    "session"),
    **dict.fromkeys(("CheckFailed", "ContractFailure", "TabellionBug"), "failures"),
    **dict.fromkeys(("load_contract", "deploy_contract", "ContractHandle", "CallFailed", "Parties", "to_value",
                     "compile_path_or_source", "check_contract"), "handle"),
}


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
