"""The checker: one table row per diagnostic code, exact messages for a few, and
programs that must check cleanly."""

from __future__ import annotations

import glob

import pytest

from tabellion.lang import compile_source
from tabellion.lang.diagnostics import CODES, render
from tabellion.lang.errors import CompileError


def first_diagnostic(source: str):
    with pytest.raises(CompileError) as caught:
        compile_source(source, "t.sc")
    return caught.value.diagnostics[0]


ERRORS = [
    ("contract A { role r  role r }", "E0201", "1:27"),
    ("contract A { entry f() by anyone { let x = y } }", "E0202", "1:44"),
    ("contract A { role admin  entry f() by admn { } }", "E0203", "1:39"),
    ("contract A { state s: Intt }", "E0204", "1:23"),
    ("contract A { record R { a: Int }  entry f() by anyone -> Int { let r = R(1)  return r.b } }", "E0205", "1:87"),
    ("contract A { entry f() by anyone { foo(1) } }", "E0206", "1:36"),
    ('scenario "s" { deploy Nope() }', "E0207", "1:23"),
    ("contract A { event E()  entry f() by anyone { emit F() } }", "E0208", "1:52"),
    ("import nosuchmodule", "E0209", "1:8"),
    ("contract A { state s: Int  entry f(s: Int) by anyone { } }", "E0210", "1:36"),
    ("contract A { enum S { X }  entry f() by anyone { let s = S.Y } }", "E0211", "1:60"),
    ("contract A { state s: Int = true }", "E0301", "1:29"),
    ("contract A { state s: Money = 1 EUR + 1 USD }", "E0302", "1:31"),
    ("contract A { fn g(a: Int) -> Int { return a }  entry f() by anyone { let x = g(1, 2) } }", "E0303", "1:83"),
    ("contract A { entry f() by anyone { let x = true + 1 } }", "E0304", "1:44"),
    ("contract A { param p: Int  entry f() by anyone { p = 2 } }", "E0305", "1:50"),
    ("contract A { entry f(x: Int) by anyone { x = 2 } }", "E0305", "1:42"),
    ("contract A { entry f() by anyone { if 1 { } } }", "E0306", "1:39"),
    ("contract A { fn g() -> Int { } }", "E0307", "1:17"),
    ("contract A { entry f() by anyone { let x = 3  x() } }", "E0308", "1:47"),
    ("contract A { entry f() by anyone { for x in 5 { } } }", "E0309", "1:45"),
    ("contract A { record R { a: Int }  entry f() by anyone { let r = R(b: 1) } }", "E0310", "1:67"),
    ("contract A { state m: Map[List[Int], Int] }", "E0311", "1:27"),
    ("contract A { entry f() by anyone { let x = 1  x } }", "E0312", "1:47"),
    ("contract A { entry f() { } }", "E0401", "1:20"),
    ("contract A { state n: Int  entry f() by n { } }", "E0402", "1:41"),
    ("contract A { party p  fn g() -> Int { pay 1 EUR to p  return 1 } }", "E0403", "1:39"),
    ("contract A { state s: Int  fn g() -> Int { s = 1  return 1 } }", "E0403", "1:44"),
    ("contract A { state s: Int visible to nobody }", "E0404", "1:38"),
    ("contract A { entry f() by anyone { call f() } }", "E0406", "1:36"),
    ("contract A { party p  entry f() by anyone pays any { waterfall w(received) { fee 120% to p } } }", "E0501", "1:82"),
    ("contract A { party p  entry f() by anyone pays any { waterfall w(received) { split { p: 1 } fee 1% to p } } }",
     "E0501", "1:78"),
    ("contract A { party p  entry f() by anyone pays any { split received { p: 0 } } }", "E0502", "1:74"),
    ("contract A { party p  entry f() by anyone pays any { split received { p: 1, p: 2 } } }", "E0503", "1:77"),
    ('contract A { entry f() by anyone { } }\nscenario "s" { deploy A()\n call w.f() }', "E0601", "3:7"),
    ('contract A { param x: Int  entry f() by anyone { } }\nscenario "s" { deploy A() }', "E0602", "2:16"),
    ('contract A { entry f() by anyone { } }\nscenario "s" { call f() }', "E0603", "2:16"),
    ('contract A { entry f() by anyone { } }\nscenario "s" { deploy A()\n wait 5 }', "E0301", "3:7"),
]


@pytest.mark.parametrize("source, code, where", ERRORS, ids=[f"{i:02}-{e[1]}" for i, e in enumerate(ERRORS)])
def test_diagnostic_code_and_position(source, code, where):
    diagnostic = first_diagnostic(source)
    assert diagnostic.code == code, diagnostic.message
    assert f"{diagnostic.span.line}:{diagnostic.span.column}" == where
    assert code in CODES


def test_every_checker_code_in_use_is_in_the_table():
    tested = {code for _, code, _ in ERRORS}
    checker_codes = {c for c in CODES if c[:3] in ("E02", "E03", "E04", "E05", "E06")}
    unused = {"E0405"}  # `pays` is only ever a Money expression or `any`: the parser rules out the rest
    assert checker_codes - unused <= tested


def test_rendered_messages():
    source = "contract A {\n    party financier\n    entry f() by anyone {\n        pay 1 EUR to finacier\n    }\n}"
    diagnostic = first_diagnostic(source)
    assert render(source, diagnostic) == (
        "t.sc:4:22: error[E0202]: unknown name 'finacier'\n"
        "  |\n"
        "4 |         pay 1 EUR to finacier\n"
        "  |                      ^^^^^^^^\n"
        "  = hint: did you mean 'financier'?"
    )
    missing_by = first_diagnostic("contract A {\n    entry f() { }\n}")
    assert render(None, missing_by) == (
        "t.sc:2:11: error[E0401]: entry 'f' does not say who may call it\n"
        "  = hint: add `by ROLE`, `by PARTY`, or `by anyone` after the parameters"
    )


def test_all_independent_errors_are_reported():
    source = """contract A {
    state s: Intt
    entry f() { }
    entry g() by anyone { let x = y }
}"""
    with pytest.raises(CompileError) as caught:
        compile_source(source, "t.sc")
    codes = [d.code for d in caught.value.diagnostics]
    assert codes == ["E0204", "E0401", "E0202"]


def test_an_error_is_reported_once_not_at_every_use():
    source = "contract A { entry f() by anyone -> Int { let x = nope  let y = x + 1  return y * 2 } }"
    with pytest.raises(CompileError) as caught:
        compile_source(source, "t.sc")
    assert len(caught.value.diagnostics) == 1


VALID = [
    "contract A { param p: Money = 10 EUR  state s: Money[EUR] = 0 EUR  entry f() by anyone { s = s + p } }",
    "contract A { enum S { X, Y }  state s: S  entry f() by anyone { if s == S.X { s = S.Y } } }",
    "contract A { record R { a: Int, b: List[Int] }  state m: Map[Text, R]\n"
    " entry f(k: Text) by anyone { m[k] = R(b: [], a: 1)  m[k].b.append(2)  m[k].a += 1 } }",
    "contract A { role r  party p  state holder: Party  entry f() by r, p, holder { grant r to caller } }",
    "contract A { fn twice(x: Int) -> Int { return 2 * x }  entry f() by anyone -> Int { return twice(21) } }",
    "contract T { entry poke() by anyone { } }\ncontract U { param t: T  entry f() by anyone { call t.poke() } }",
    'contract A { entry f() by anyone { } }\nscenario "s" { deploy a = A()\n call a.f() by bob\n expect balance(bob) == 0 EUR }',
    'contract A { state n: Int  entry f() by anyone { n += 1 }\n scenario "own" { deploy A()\n call f() by x\n expect n == 1 } }',
    'property "p" (x: Int, ps: List[Party]) where x > 0 { expect x + 1 > x }',
]


@pytest.mark.parametrize("source", VALID)
def test_valid_programs_check(source):
    compile_source(source, "t.sc")


@pytest.mark.parametrize("path", sorted(glob.glob("examples/*.sc")))
def test_examples_check_cleanly(path):
    with open(path, encoding="utf-8") as handle:
        compile_source(handle.read(), path)


def test_a_lone_party_name_close_to_another_is_a_warning_not_an_error():
    source = ('contract A { entry f() by anyone pays any { } }\n'
              'scenario "s" {\n fund alice 5 EUR\n deploy a = A()\n call a.f() by alcie paying 1 EUR\n'
              ' expect balance(alice) == 4 EUR\n}\n')
    checked = compile_source(source, "t.sc")
    (warning,) = checked.warnings
    assert (warning.code, warning.severity, warning.span.line, warning.span.column) == ("W0601", "warning", 5, 16)
    assert warning.hint.startswith("did you mean 'alice'?")


def test_a_record_holding_a_collection_cannot_be_a_map_key():
    source = "contract A { record R { xs: List[Int] }  state m: Map[R, Int] }"
    assert first_diagnostic(source).code == "E0311"


def test_loops_nest_at_most_eight_deep_and_eight_always_compile(sandbox):
    body = "n += 1"
    for _ in range(7):
        body = f"while n < 0 {{ {body} }}"
    source = f"contract A {{ state n: Int  entry f() by anyone {{ for i in range(0, 1) {{ {body} }} }} }}"
    box = sandbox(source)
    assert box.deploy().ok and box.call("f").ok
    deeper = source.replace("n += 1", "while n < 0 { n += 1 }")
    assert first_diagnostic(deeper).code == "E0003"
