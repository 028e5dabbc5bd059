"""Tests for syntax errors: every E00xx/E01xx code the parser gives, where, and in what words."""

import pytest

from tabellion.lang.diagnostics import render
from tabellion.lang.errors import CompileError
from tabellion.lang.parser import MAX_DEPTH, MAX_NESTING, parse


def in_entry(body: str) -> str:
    """`body` as the only line of an entry: it starts on line 3, column 9."""
    return "contract C {\n    entry e() by anyone {\n        " + body + "\n    }\n}\n"


def in_scenario(body: str) -> str:
    """`body` as the only line of a scenario: it starts on line 2, column 5."""
    return 'scenario "s" {\n    ' + body + "\n}\n"


def diagnostics_of(source: str):
    with pytest.raises(CompileError) as raised:
        parse(source, "t.sc")
    return raised.value.diagnostics


ERRORS = [
    # E0101: a token the grammar does not allow here
    ("contract { }", "E0101", "1:10", "expected a name after 'contract', found '{'"),
    ("contract C { role }", "E0101", "1:19", "expected a name after 'contract C { role', found '}'"),
    ("entry e() { }", "E0101", "1:1", "expected 'contract', 'import', 'property', 'scenario' or the end of the file, found 'entry'"),
    ("scenario s { }", "E0101", "1:10", "expected a text in double quotes after 'scenario', found 's'"),
    ("contract C { waterfall w(x) { } }", "E0101", "1:14", "expected a declaration (role, param, state, entry, ...)"),
    (in_entry("let x = 1 + }"), "E0101", "3:21", "expected an expression after 'let x = 1 +', found '}'"),
    (in_entry("if x = 1 { }"), "E0101", "3:14", "after 'if x', found '='"),
    (in_entry("let x = a == b == c"), "E0101", "3:24", "found '=='"),
    (in_entry("pay 1 EUR"), "E0101", "4:5", "expected 'to' after 'pay 1 EUR', found '}'"),
    (in_entry("let = 1"), "E0101", "3:13", "expected a name after 'let', found '='"),
    (in_entry("let x = (1 + 2"), "E0101", "4:5", "expected ')' after 'let x = (1 + 2', found '}'"),
    (in_entry("call token"), "E0101", "3:14", "`call` needs an entry call"),
    (in_entry("waterfall w(x) { recoup a }"), "E0101", "3:35", "expected 'up' after"),
    (in_scenario("deploy = C()"), "E0101", "2:12", "expected a name after 'deploy', found '='"),
    (in_scenario("fund alice"), "E0101", "3:1", "expected an expression after 'fund alice', found '}'"),
    (in_scenario("expect 1 2"), "E0101", "3:1", "expected an assignment ('=', '+=', ...) or an operator"),
    # E0102: the file ends inside a construct
    ("contract C {", "E0102", "1:13", "unexpected end of file: expected a declaration"),
    ("contract C { entry e() by anyone { if x { }", "E0102", "1:44", "expected a statement, an expression, 'else' or '}'"),
    ('scenario "s" {\n    expect f(1,\n', "E0102", "2:16", "unexpected end of file: expected an expression or ')'"),
    ("import", "E0102", "1:7", "unexpected end of file: expected a name"),
    # E0103: a character that starts no token
    (in_entry("let x = a && b"), "E0103", "3:19", "unexpected character '&'"),
    (in_entry("let x = a || b"), "E0103", "3:19", "unexpected character '|'"),
    (in_entry("let x = 1;"), "E0103", "3:18", "unexpected character ';'"),
    (in_entry("let t = 'hello'"), "E0103", "3:17", "unexpected character \"'\""),
    (in_entry("let x = 1 # 2"), "E0103", "3:19", "unexpected character '#'"),
    ("contract C { \u00e9 }", "E0103", "1:14", "unexpected character '\u00e9'"),
    ("contract C { \x07 }", "E0103", "1:14", "unexpected character 'U+0007'"),
    # E0104: a literal that does not decode
    (in_entry("let x = 1.5"), "E0104", "3:17", "'1.5' is a fractional number, and Tabellion has no floating point"),
    (in_entry("let x = 12.345 EUR"), "E0104", "3:17", "EUR has 2 decimal places; '12.345 EUR' has 3"),
    (in_entry("let x = 1.5 JPY"), "E0104", "3:17", "JPY has no decimal places"),
    (in_entry("let x = 12 ZZZ"), "E0104", "3:17", "unknown currency 'ZZZ'"),
    (in_entry("let x = 2026-13-01"), "E0104", "3:17", "'2026-13-01' is not a calendar date"),
    (in_entry("let x = 2026-02-30"), "E0104", "3:17", "'2026-02-30' is not a calendar date"),
    (in_entry("let x = 2026-12-01T25:00Z"), "E0104", "3:17", "'2026-12-01T25:00Z' is not a valid time"),
    (in_entry("let x = 12abc"), "E0104", "3:17", "malformed number '12abc'"),
    (in_entry('let t = "\\q"'), "E0104", "3:17", "unknown escape '\\q'"),
    (in_entry('let t = "\\u{110000}"'), "E0104", "3:17", "is not a Unicode code point"),
    (in_entry("let x = " + "9" * 80), "E0104", "3:17", "number too large"),
    (in_entry("let x = " + str(2**255)), "E0104", "3:17", "number too large"),
    (in_entry("let x = " + "1" * 5000), "E0104", "3:17", "(5000 digits)"),
    (in_entry("let x = " + "1" * 5000 + " EUR"), "E0104", "3:17", "amount too large"),
    (in_entry("let x = " + "9" * 90 + " EUR"), "E0104", "3:17", "beyond the range of Money"),
    (in_entry("let x = " + "1" * 5000 + "%"), "E0104", "3:17", "rate too large"),
    (in_entry("let x = " + "1" * 5000 + "d"), "E0104", "3:17", "is too long"),
    (in_entry("let x = " + "9" * 80 + "w"), "E0104", "3:17", "out of range"),
    # E0105: a text or comment left open
    (in_entry('let t = "unterminated'), "E0105", "3:17", "unterminated text"),
    (in_entry('let t = "two\nlines"'), "E0105", "3:17", "unterminated text"),
    ("/* never closed\ncontract C { }", "E0105", "1:1", "unterminated comment"),
    ("contract C { } /* never closed", "E0105", "1:16", "unterminated comment"),
    # E0003: nesting beyond what later stages may walk
    (in_entry("let x = " + "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1)), "E0003", f"3:{17 + MAX_NESTING - 2}", "brackets nested too deeply"),  # the two enclosing braces count
    ("[" * 1_000_000, "E0003", f"1:{MAX_NESTING + 1}", f"more than {MAX_NESTING} open at once"),
    (in_entry("let x = " + "+".join(["1"] * (MAX_DEPTH + 2))), "E0003", "3:", "expression nested too deeply"),
    (in_entry("let x = a" + ".b" * (MAX_DEPTH + 1)), "E0003", "3:", f"more than {MAX_DEPTH} levels"),
    (in_entry("let x = " + "not " * (MAX_DEPTH + 1) + "a"), "E0003", "3:", "expression nested too deeply"),
    (in_entry("let x = " + "-" * (MAX_DEPTH + 1) + "a"), "E0003", "3:", "expression nested too deeply"),
    (in_entry("let x = a" + "[0]" * (MAX_DEPTH + 1)), "E0003", "3:", "expression nested too deeply"),
    (in_entry("let x = f" + "()" * (MAX_DEPTH + 1)), "E0003", "3:", "expression nested too deeply"),
    (in_entry("if a { }" + " else if a { }" * (MAX_DEPTH + 1)), "E0003", "3:", "`else if` chain too long"),
    (in_entry("if a {" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)), "E0003", "3:", "brackets nested too deeply"),
    (in_entry("if a {\n" * (MAX_DEPTH // 2 + 1) + "}\n" * (MAX_DEPTH // 2 + 1)), "E0003", "", "blocks and expressions nested too deeply"),
    (in_entry("let x = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)), "E0003", "3:", "expression nested too deeply"),
]


@pytest.mark.parametrize("source, code, where, message", ERRORS,
                         ids=[f"{i:02}-{e[1]}" for i, e in enumerate(ERRORS)])
def test_syntax_error(source, code, where, message):
    first = diagnostics_of(source)[0]
    assert first.code == code
    position = f"{first.span.line}:{first.span.column}"
    assert position.startswith(where) if where.endswith(":") or not where else position == where
    assert message in first.message
    assert first.span.file == "t.sc"


def test_every_syntax_code_is_covered():
    assert {e[1] for e in ERRORS} == {"E0003", "E0101", "E0102", "E0103", "E0104", "E0105"}


@pytest.mark.parametrize("source, hint", [
    (in_entry("if x = 1 { }"), "to compare, write '=='"),
    (in_entry("let x = a == b == c"), "comparisons do not chain"),
    (in_entry("let x = a && b"), "write 'and'"),
    (in_entry("let x = a || b"), "write 'or'"),
    (in_entry("let t = 'hello'"), "double quotes"),
    (in_entry("let x = 1.5"), "`1.5 EUR`"),
    (in_entry("let x = 12 EUO"), "did you mean 'EUR'?"),
    (in_entry("let x = 12abc"), "rates 2.5%"),
    ("contract C { entry e() by anyone { if x { }", "the '{' on line 1, column 34 is not closed (2 brackets are open)"),
    ('scenario "s" {\n    expect f(1,\n', "the '(' on line 2, column 13 is not closed"),
    ("/* never closed", "use '//'"),
])
def test_hint(source, hint):
    first = diagnostics_of(source)[0]
    assert hint in first.hint


def test_literal_errors_are_all_reported_together():
    source = in_entry("let x = 1.5 + 2026-13-01 + 12 ZZZ")
    assert [d.code for d in diagnostics_of(source)] == ["E0104", "E0104", "E0104"]


def test_a_literal_error_and_a_syntax_error_are_both_reported():
    source = in_entry("let x = 1.5\n        let = 2")
    assert [d.code for d in diagnostics_of(source)] == ["E0104", "E0101"]


def test_found_token_is_shortened():
    source = in_entry("pay 1 EUR " + "a" * 500)
    first = diagnostics_of(source)[0]
    assert first.message.endswith("found '" + "a" * 40 + "'")
    assert first.span.end_column - first.span.column == 500


def test_brackets_inside_texts_and_comments_do_not_count_for_unclosed_hint():
    source = 'contract C { // {{{\n    entry e() by anyone { let t = "((" '
    (diagnostic,) = diagnostics_of(source)
    assert diagnostic.code == "E0102"
    assert diagnostic.hint == "the '{' on line 2, column 25 is not closed (2 brackets are open)"


# ---------------------------------------------------------------- rendered


def rendered(source: str) -> str:
    return "\n\n".join(render(source, d) for d in diagnostics_of(source))


def test_rendered_unexpected_token_with_hint():
    source = "contract C {\n    entry e() by anyone {\n        if total = 100 EUR { }\n    }\n}\n"
    assert rendered(source) == (
        "t.sc:3:18: error[E0101]: expected an operator or '{' after 'if total', found '='\n"
        "  |\n"
        "3 |         if total = 100 EUR { }\n"
        "  |                  ^\n"
        "  = hint: to compare, write '=='; to assign, write the assignment on its own line"
    )


def test_rendered_literal_with_caret_range():
    source = "contract C {\n    param fee: Money = 12.345 EUR\n}\n"
    assert rendered(source) == (
        "t.sc:2:24: error[E0104]: EUR has 2 decimal places; '12.345 EUR' has 3\n"
        "  |\n"
        "2 |     param fee: Money = 12.345 EUR\n"
        "  |                        ^^^^^^^^^^"
    )


def test_rendered_unexpected_end_of_file():
    source = "contract C {\n    role r\n"
    assert rendered(source) == (
        "t.sc:2:11: error[E0102]: unexpected end of file: expected a declaration (role, param, state, entry, ...), 'property', 'scenario' or '}'\n"
        "  |\n"
        "2 |     role r\n"
        "  |           ^\n"
        "  = hint: the '{' on line 1, column 12 is not closed"
    )


def test_independent_syntax_errors_are_all_reported():
    source = """contract A {
    state s: Int =
    entry f() by anyone {
        let x = 1 +
    }
    entry g() by anyone {
        let y = 2
    }
    entry h() by anyone { let z = ) }
    param p: Money = 1.234 EUR
}
"""
    found = [(d.code, d.span.line, d.span.column) for d in diagnostics_of(source)]
    assert found == [("E0101", 3, 5), ("E0101", 5, 5), ("E0101", 9, 35), ("E0104", 10, 22)]
    assert "the line before is incomplete" in diagnostics_of(source)[0].message


def test_an_unclosed_brace_stops_the_search():
    assert [d.code for d in diagnostics_of("contract A {\n entry f() by anyone {\n let x = 1\n")] == ["E0102"]
