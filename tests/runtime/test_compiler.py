"""The compiler: user text never becomes Python source, names cannot collide with the
generated code's own, compiled contracts are cached, failures point at their span."""

from __future__ import annotations

from tabellion.lang import compile_source
from tabellion.runtime.compiler import compile_module
from tabellion.runtime.receipts import REVERTED
from tabellion.runtime.values import Party

HOSTILE = r"""
contract Evil {
    state _g: Int = 0
    state print: Text = "\"); import os; os.system(\"echo pwned\") #"
    fn _x(_S: Int) -> Int { return _S + 1 }
    entry __import__(_J: Int, _P: Int) by anyone -> Int {
        let _R = _x(_J) + _P
        _g = _R
        return _g
    }
    entry exec() by anyone -> Text { return print + "'''\n" }
}
"""


def test_names_and_texts_from_the_source_cannot_reach_python(sandbox):
    box = sandbox(HOSTILE)
    assert box.deploy().ok
    receipt = box.call("__import__", 1, 2)
    assert receipt.ok and receipt.value == 4
    assert box.state("_g") == 4
    assert box.call("exec").value == '"); import os; os.system("echo pwned") #\'\'\'\n'


def test_compiled_contracts_are_cached_by_source():
    source = "contract A { state n: Int  entry f() by anyone { n += 1 } }"
    first = compile_module(compile_source(source, "a.sc"))["A"]
    second = compile_module(compile_source(source, "a.sc"))["A"]
    changed = compile_module(compile_source(source.replace("+= 1", "+= 2"), "a.sc"))["A"]
    assert first is second
    assert changed is not first and changed.code_hash != first.code_hash


def test_failure_spans_point_at_the_failing_expression(sandbox):
    source = "contract A {\n    state m: Map[Party, Int]\n    entry f(p: Party) by anyone -> Int {\n        let x = 1\n        return x + m[p]\n    }\n}"
    box = sandbox(source)
    box.deploy()
    receipt = box.call("f", Party("nobody"))
    assert receipt.status == REVERTED
    span = receipt.span
    assert (span.line, span.column, span.end_line, span.end_column) == (5, 20, 5, 24)


def test_gas_is_charged_per_block_not_per_statement(sandbox):
    straight = sandbox("contract A { state n: Int  entry f() by anyone { n += 1  n += 1  n += 1 } }")
    straight.deploy()
    one = straight.call("f").gas_used
    branchy = sandbox("contract A { state n: Int  entry f() by anyone { if n >= 0 { n += 1 } n += 1  n += 1 } }")
    branchy.deploy()
    assert branchy.call("f").gas_used > one, "an extra block and branch cost more"


def test_trace_mode_reports_each_statement(sandbox):
    from tabellion.runtime.ledger import DevLedger
    from tabellion.runtime.compiler import compile_contract

    checked = compile_source("contract A {\n state n: Int\n entry f() by anyone {\n  n += 1\n  n += 2\n }\n}", "t.sc")
    compiled = compile_contract(checked, checked.contracts["A"], traced=True)
    ledger = DevLedger()
    address = ledger.deploy(compiled, {}, Party("d")).address
    lines = []
    receipt = ledger.call(address, "f", (), Party("d"), trace=lambda x, span: lines.append(span.line))
    assert receipt.ok and lines == [4, 5]
