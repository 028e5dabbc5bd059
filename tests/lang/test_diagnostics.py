"""Tests for diagnostics: rendering, caret ranges, long lines, did-you-mean, JSON."""

import json

import pytest

from tabellion.lang.diagnostics import (
    CODES,
    Diagnostic,
    Span,
    closest,
    edit_distance,
    render,
    render_all,
    to_json,
)

SOURCE = "contract Film {\n    party financier\n    entry e() by finacier { }\n}\n"


def test_headline_with_and_without_span():
    with_span = Diagnostic("E0203", "unknown party 'finacier'", Span("film.sc", 3, 18, 3, 26))
    assert with_span.headline() == "film.sc:3:18: error[E0203]: unknown party 'finacier'"
    assert Diagnostic("E0001", "x.sc: no such file").headline() == "error[E0001]: x.sc: no such file"


def test_render_like_a_compiler():
    diagnostic = Diagnostic("E0203", "unknown party 'finacier'", Span("film.sc", 3, 18, 3, 26),
                            hint="did you mean 'financier'?")
    assert render(SOURCE, diagnostic) == (
        "film.sc:3:18: error[E0203]: unknown party 'finacier'\n"
        "  |\n"
        "3 |     entry e() by finacier { }\n"
        "  |                  ^^^^^^^^\n"
        "  = hint: did you mean 'financier'?"
    )


def test_render_a_warning():
    diagnostic = Diagnostic("W0601", "party 'alcie' appears only once", Span("s.sc", 1, 1, 1, 3), severity="warning")
    assert render("ab", diagnostic).split("\n")[0] == "s.sc:1:1: warning[W0601]: party 'alcie' appears only once"


def test_render_notes_before_the_hint():
    diagnostic = Diagnostic("E0201", "duplicate declaration 'financier'", Span("f.sc", 2, 11, 2, 20),
                            hint="rename one", notes=("first declared on line 1",))
    lines = render(SOURCE, diagnostic).split("\n")
    assert lines[-2:] == ["  = note: first declared on line 1", "  = hint: rename one"]


def test_render_without_source_is_the_headline_and_hint():
    diagnostic = Diagnostic("E0001", "x.sc: no such file", hint="check the path")
    assert render(None, diagnostic) == "error[E0001]: x.sc: no such file\n  = hint: check the path"
    spanned = Diagnostic("E0101", "bad", Span("f.sc", 1, 1, 1, 2))
    assert render(None, spanned) == "f.sc:1:1: error[E0101]: bad"


def test_gutter_widens_with_the_line_number():
    source = "\n" * 99 + "let x = y\n"
    text = render(source, Diagnostic("E0202", "unknown name 'y'", Span("f.sc", 100, 9, 100, 10)))
    assert text.split("\n")[1:] == ["    |", "100 | let x = y", "    |         ^"]


@pytest.mark.parametrize("span, carets", [
    (Span("f", 1, 1, 1, 2), "^"),            # one character
    (Span("f", 1, 5, 1, 8), "    ^^^"),      # a range
    (Span("f", 1, 5, 1, 5), "    ^"),        # empty: still one caret
    (Span("f", 1, 5, 3, 2), "    ^^^^^^"),   # runs onto later lines: to the end of this one
    (Span("f", 1, 11, 1, 12), "          ^"),  # just past the end of the line (end of file)
    (Span("f", 1, 50, 1, 60), "          ^"),  # beyond the line: clamped to its end
])
def test_caret_ranges(span, carets):
    text = render("abcdefghij\nsecond\nthird", Diagnostic("E0101", "m", span))
    assert text.split("\n")[3] == "  | " + carets


def test_span_on_a_line_that_does_not_exist_shows_no_excerpt():
    text = render("one line", Diagnostic("E0101", "m", Span("f", 7, 1, 7, 2)))
    assert text == "f:7:1: error[E0101]: m"


def test_tabs_count_as_one_column():
    source = "\t\tlet x = y"
    text = render(source, Diagnostic("E0202", "m", Span("f", 1, 11, 1, 12)))
    assert text.split("\n")[2:] == ["1 |   let x = y", "  |           ^"]


def test_carriage_return_line_endings():
    source = "contract C {\r\n    role r\r\n}\r\n"
    text = render(source, Diagnostic("E0101", "m", Span("f", 2, 10, 2, 11)))
    assert text.split("\n")[2:] == ["2 |     role r", "  |          ^"]


def test_wide_characters_shift_the_carets():
    source = 'let t = "\u65e5\u672c" + x'
    text = render(source, Diagnostic("E0202", "m", Span("f", 1, 16, 1, 17)))
    assert text.split("\n")[3] == "  | " + " " * 17 + "^"


def test_long_line_is_cut_around_the_span():
    source = "x" * 1000 + " BAD " + "y" * 1000
    text = render(source, Diagnostic("E0101", "m", Span("f", 1, 1002, 1, 1005)))
    shown, carets = text.split("\n")[2:4]
    assert len(shown) <= len("1 | ") + 200
    assert "BAD" in shown
    assert shown.index("BAD") == carets.index("^")
    assert carets[4:].strip() == "^^^"


def test_long_line_span_at_the_start():
    source = "BAD" + "y" * 5000
    text = render(source, Diagnostic("E0101", "m", Span("f", 1, 1, 1, 4)))
    assert text.split("\n")[3] == "  | ^^^"


def test_a_huge_span_is_clamped_to_the_shown_text():
    source = "z" * 5000
    text = render(source, Diagnostic("E0101", "m", Span("f", 1, 1, 1, 5001)))
    assert text.split("\n")[3] == "  | " + "^" * 200


def test_control_characters_never_reach_the_terminal():
    source = 'let t = "\x1b[2J" + y\x07'
    diagnostic = Diagnostic("E0101", "found '\x1b[2J'", Span("f", 1, 10, 1, 14), hint="bell \x07")
    text = render(source, diagnostic)
    assert "\x1b" not in text and "\x07" not in text
    assert "found '\\x1b[2J'" in text
    assert "hint: bell \\x07" in text
    assert text.split("\n")[2] == '1 | let t = " [2J" + y '


def test_overlong_quoted_words_in_messages_are_shortened():
    name = "a" * 10_000
    text = render(None, Diagnostic("E0202", f"unknown name '{name}'"))
    assert len(text) < 200
    assert "(10000 characters)" in text


def test_render_all_separates_with_blank_lines():
    first = Diagnostic("E0101", "one", Span("f", 1, 1, 1, 2))
    second = Diagnostic("E0101", "two", Span("f", 1, 3, 1, 4))
    assert render_all("abc", [first, second]) == render("abc", first) + "\n\n" + render("abc", second)


def test_many_diagnostics_on_a_large_source_render_quickly():
    source = "\n".join(f"let x{i} = y{i}" for i in range(50_000))
    diagnostics = [Diagnostic("E0202", "m", Span("f", i * 50 + 1, 9, i * 50 + 1, 11)) for i in range(1000)]
    text = render_all(source, diagnostics)
    assert text.count("error[E0202]") == 1000


# ---------------------------------------------------------------- JSON


def test_as_dict_has_every_field():
    diagnostic = Diagnostic("E0203", "unknown party 'finacier'", Span("film.sc", 3, 18, 3, 26),
                            hint="did you mean 'financier'?", notes=("n",))
    assert diagnostic.as_dict() == {
        "code": "E0203", "severity": "error", "message": "unknown party 'finacier'",
        "file": "film.sc", "line": 3, "column": 18, "end_line": 3, "end_column": 26,
        "hint": "did you mean 'financier'?", "notes": ["n"],
    }


def test_as_dict_without_span():
    entry = Diagnostic("E0001", "x.sc: no such file").as_dict()
    assert entry["file"] is None and entry["line"] is None and entry["hint"] is None


def test_to_json_round_trips_through_json():
    diagnostics = [Diagnostic("E0101", "m\u00e9", Span("f", 1, 1, 1, 2)), Diagnostic("E0001", "n")]
    assert json.loads(json.dumps(to_json(diagnostics))) == [d.as_dict() for d in diagnostics]


# ---------------------------------------------------------------- codes


def test_codes_are_well_formed_and_described():
    for code, description in CODES.items():
        assert len(code) == 5 and code[0] in "EW" and code[1:].isdigit()
        assert description and description == description.strip()


def test_the_front_end_codes_exist():
    assert {"E0001", "E0002", "E0003", "E0101", "E0102", "E0103", "E0104", "E0105"} <= set(CODES)


# ---------------------------------------------------------------- did you mean


@pytest.mark.parametrize("name, candidates, expected", [
    ("finacier", ["financier", "producer", "cam"], "financier"),
    ("financer", ["financier", "finance"], "finance"),
    ("Financier", ["financier"], "financier"),        # case does not count
    ("balanse", ["balance", "received"], "balance"),
    ("EUO", ["EUR", "USD"], "EUR"),
    ("ab", ["xy"], None),                             # too different for a short name
    ("cat", ["car", "bat"], "bat"),                   # ties: the first in sorted order
    ("x", ["y"], "y"),                                # one edit in a one-letter name
    ("xyz", ["abc"], None),
    ("producer", ["producer"], None),                 # the name itself is no suggestion
    ("anything", [], None),
    ("a" * 65, ["a" * 64], None),                     # very long names are not compared
])
def test_closest(name, candidates, expected):
    assert closest(name, candidates) == expected


@pytest.mark.parametrize("a, b, distance", [
    ("", "", 0), ("abc", "abc", 0), ("abc", "abd", 1), ("abc", "ab", 1), ("ab", "ba", 2),
    ("kitten", "sitting", 3),
])
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b) == distance


def test_edit_distance_gives_up_past_the_limit():
    assert edit_distance("aaaaaaaaaa", "bbbbbbbbbb", limit=2) == 3
    assert edit_distance("a", "a" * 50, limit=3) == 4


def test_span_helpers():
    start = Span("f", 1, 2, 1, 5)
    end = Span("f", 3, 1, 3, 9)
    assert start.to(end) == Span("f", 1, 2, 3, 9)
    assert Span.point("f", 4, 7) == Span("f", 4, 7, 4, 8)
    assert str(start) == "f:1:2"
