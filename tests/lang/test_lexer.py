"""Tests for the Pygments lexer: every example lexes cleanly, literals get their types."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, Operator, String

import tabellion.lang.lexer
from tabellion.lang.lexer import TabellionLexer

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.sc"))


def tokens(source):
    """The non-blank (type, text) pairs of a source, in order."""
    return [(kind, text) for kind, text in TabellionLexer().get_tokens(source) if text.strip()]


def test_there_are_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example_lexes_without_error(path):
    source = path.read_text(encoding="utf-8")
    pairs = list(TabellionLexer().get_tokens(source))
    errors = [text for kind, text in pairs if kind in Error]
    assert errors == []
    assert "".join(text for _, text in pairs) == source


LITERAL_TERMINALS = {"INT", "DECIMAL", "MONEY", "RATE", "DATE", "TIME", "DURATION", "TEXT"}


def literals(source):
    """The literals of a source as this lexer cuts them, text literals whole."""
    found, text = [], None
    for kind, value in TabellionLexer().get_tokens(source):
        if kind in String:
            text = value if text is None else text + value
            if value == '"' and text != '"':
                found.append(text)
                text = None
        elif kind in Number or kind in Literal.Date:
            found.append(value)
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_literals_match_the_grammar(path):
    from tabellion.lang.parser import parser_for

    source = path.read_text(encoding="utf-8")
    expected = [str(t) for t in parser_for().lex(source) if t.type in LITERAL_TERMINALS]
    assert literals(source) == expected


@pytest.mark.parametrize(
    "source, kind, text",
    [
        ("contract Film {}", Keyword.Declaration, "contract"),
        ("contract Film {}", Name.Class, "Film"),
        ("entry buy() by anyone pays premium {}", Name.Function, "buy"),
        ("entry buy() by anyone pays premium {}", Keyword, "pays"),
        ("fn discount(face: Money) -> Money {}", Name.Function, "discount"),
        ("fn discount(face: Money) -> Money {}", Keyword.Type, "Money"),
        ("fn discount(face: Money) -> Money {}", Operator, "->"),
        ("state p: Map[Int, Policy] visible to insurer", Keyword.Type, "Map"),
        ("state p: Map[Int, Policy] visible to insurer", Name.Class, "Policy"),
        ("state p: Map[Int, Policy] visible to insurer", Keyword, "visible"),
        ("waterfall receipts(received) {}", Name.Variable, "receipts"),
        ("recoup pari_passu { a: 1 }", Keyword, "pari_passu"),
        ("split received among holdings", Keyword, "among"),
        ('expect fails call f() by p with "permission denied"', Keyword, "with"),
        ("state s: Money[EUR] = 0 EUR", Name.Constant, "EUR"),
        ("fee 5% to producer up to 50_000 EUR", Keyword, "up"),
        ("if a and not b {}", Operator.Word, "not"),
        ("x = true", Keyword.Constant, "true"),
        ("require caller == holder", Name.Builtin, "caller"),
        ("pay received to p", Name.Builtin, "received"),
        ("expect balance(alice) == 100 EUR", Name.Builtin, "balance"),
        ("expect balance(alice, USD) == 1 USD", Name.Constant, "USD"),
        ("x = Status.Open", Name.Constant, "Open"),
        ("enum Status { Open, Paid }", Name.Constant, "Paid"),
        ("xs.append(x)", Name.Function, "append"),
        ("p.holder", Name.Attribute, "holder"),
        # literals
        ("x = 1_000", Number.Integer, "1_000"),
        ("x = 1_250.50 EUR", Number, "1_250.50 EUR"),
        ("x = 20 USD", Number, "20 USD"),
        ("x = 15%", Number, "15%"),
        ("x = 2.5%", Number, "2.5%"),
        ("x = 2026-12-01", Literal.Date, "2026-12-01"),
        ("at 2026-12-01T10:30Z", Literal.Date, "2026-12-01T10:30Z"),
        ("at 2026-12-01T10:30:15Z", Literal.Date, "2026-12-01T10:30:15Z"),
        ("wait 2h", Number, "2h"),
        ("wait 90d", Number, "90d"),
        ("wait 15m", Number, "15m"),
        ("wait 30s", Number, "30s"),
        ("wait 2w", Number, "2w"),
        ("x = n % 2", Operator, "%"),
        # comments and text
        ("x = 1 // the rest", Comment.Single, "// the rest"),
        ("/* a\n * b */ x", Comment.Multiline, "*/"),
        ('x = "a \\"quoted\\" word"', String.Escape, '\\"'),
        ('x = "line\\n"', String.Escape, "\\n"),
        ('x = "plain"', String.Double, "plain"),
        ('x = "\\u{20AC}"', String.Escape, "\\u{20AC}"),
        ('x = "\\q"', Error, "\\q"),
    ],
)
def test_token_type(source, kind, text):
    assert (kind, text) in tokens(source)


@pytest.mark.parametrize(
    "word",
    ["scenario", "deploy", "fund", "call", "paying", "wait", "at", "expect", "fails", "property", "where"],
)
def test_scenario_words_are_keywords(word):
    [(kind, _), *_] = tokens(word + " x")
    assert kind in Keyword


def test_file_level_scenario_lexes_without_error():
    source = (
        'scenario "s" {\n'
        "    fund cam 1_300_000 EUR\n"
        "    deploy w = Film(equity: 500_000 EUR, auditors: [producer]) by cam\n"
        '    call w.receive("MG") by cam paying 400_000.00 EUR\n'
        "    wait 120d\n"
        "    at 2026-12-01T08:00Z\n"
        "    expect w.receipts_total == 400_000 EUR\n"
        "    expect fails call w.receive(\"x\") by producer\n"
        "}\n"
    )
    assert not any(kind in Error for kind, _ in tokens(source))


def test_date_is_not_a_subtraction():
    assert tokens("2026-12-01") == [(Literal.Date, "2026-12-01")]


def test_keyword_prefix_of_a_name_is_a_name():
    assert tokens("total") == [(Name, "total")]
    assert tokens("paid") == [(Name, "paid")]


def test_unknown_character_is_an_error():
    assert (Error, "@") in tokens("x = @y")


def test_unterminated_text_ends_at_the_line():
    assert tokens('x = "open\ny')[-1] == (Name, "y")


def test_found_by_name_after_install():
    assert isinstance(get_lexer_by_name("tabellion"), TabellionLexer)


def test_preferred_for_sc_files_that_look_like_tabellion():
    source = "import x\ncontract Film {\n}\n"  # "import " alone would make Python claim it
    assert isinstance(get_lexer_for_filename("film.sc", source), TabellionLexer)


def test_imports_nothing_but_pygments():
    tree = ast.parse(Path(tabellion.lang.lexer.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert {name.split(".")[0] for name in imported} <= {"pygments", "re"}


def test_loading_pulls_in_no_other_dependency():
    # pygmentize imports the lexer through the package: keep that import light.
    probe = (
        "import sys, tabellion.lang.lexer; "
        "print(sorted({name.split('.')[0] for name in sys.modules} "
        "& {'lark', 'attr', 'attrs', 'nacl', 'prompt_toolkit', 'hypothesis'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
