"""The Pygments lexer for Tabellion: colours `.sc` files for pygmentize and the REPL.

This module imports nothing but Pygments (and `re`), because pygmentize loads it
through the `pygments.lexers` entry point without the rest of Tabellion.

Token categories:

- keywords: `Keyword.Declaration` for what declares (contract, role, party, param,
  state, record, enum, event, invariant, fn, entry, init, scenario, property),
  `Keyword.Namespace` for import, `Keyword.Constant` for true/false,
  `Operator.Word` for and/or/not/in, `Keyword` for every other statement, clause
  and scenario word (pays, split, among, waterfall, deploy, expect, fails, with, ...);
- `Keyword.Type` for the built-in types (Int ... List), `Name.Class` for any other
  capitalised name (records, enums, events, contracts), `Name.Constant` for enum
  members (declared, or after a dot: `Status.Open`) and for three-letter
  currency codes standing alone (`balance(p, USD)`);
- `Name.Builtin` for caller, received, balance, now, block, len, sum;
- `Name.Function` for the name declared by `fn`/`entry` and for a name that is
  called; `Name.Variable` for a waterfall's name; `Name.Attribute` for a
  lower-case name after a dot;
- literals: `Literal.Date` for dates and times, `Number` for money (the amount and
  its currency code form one token: `1_250.50 EUR`), rates and durations,
  `Number.Integer` for integers, `String.Double` with `String.Escape` for text
  (an escape that the language does not know is an `Error`);
- `Comment.Single` (`//`) and `Comment.Multiline` (`/* */`, not nested);
- `Operator`, `Punctuation`, `Whitespace`.

The literal rules are those of `grammar.lark`: a date is `dddd-dd-dd` (so
`2026-12-01` is never a subtraction), a time is a date, `T`, hours and minutes,
optional seconds, and `Z`; a number directly followed by `%` is a rate (write the
remainder operator with a space after a literal: `n % 2`), and a number followed on
the same line by spaces and three capital letters is money.
"""

import re

from pygments.lexer import RegexLexer, bygroups, default, include, words
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

__all__ = ["TabellionLexer"]

DECLARATION_KEYWORDS = (
    "contract", "role", "party", "param", "state", "record", "enum", "event",
    "invariant", "fn", "entry", "init", "scenario", "property",
)

STATEMENT_KEYWORDS = (
    # entries and permissions
    "by", "anyone", "pays", "any", "visible", "to",
    # statements
    "let", "if", "else", "for", "while", "require", "pay", "emit", "return",
    "call", "paying", "grant", "revoke", "from",
    # domain statements
    "split", "among", "waterfall", "fee", "recoup", "pari_passu", "up",
    # scenarios and properties
    "where", "deploy", "fund", "wait", "at", "expect", "fails", "with",
)

WORD_OPERATORS = ("and", "or", "not", "in")

BUILTINS = ("caller", "received", "balance", "now", "block", "len", "sum")

TYPES = (
    "Int", "Bool", "Text", "Money", "Rate", "Date", "Time", "Duration", "Party",
    "Map", "List",
)

IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
DIGITS = r"[0-9][0-9_]*"
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIME = DATE + r"T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?Z"

# Recognises a file that is clearly Tabellion, so that `pygmentize file.sc` picks
# this lexer over the other lexers that also claim `*.sc`.
TABELLION_SIGNATURE = re.compile(
    r"^\s*(?:contract\s+[A-Z]\w*\s*\{|scenario\s+\"|entry\s+\w+\s*\([^)]*\)\s*by\b)",
    re.MULTILINE,
)


class TabellionLexer(RegexLexer):
    """Tokenises Tabellion contracts and their scenarios."""

    name = "Tabellion"
    aliases = ["tabellion", "sc"]
    filenames = ["*.sc"]
    mimetypes = ["text/x-tabellion"]

    tokens = {
        "root": [
            include("whitespace"),
            include("declarations"),
            include("literals"),
            include("names"),
            include("operators"),
        ],
        "whitespace": [
            (r"\s+", Whitespace),
            (r"//.*?$", Comment.Single),
            (r"/\*", Comment.Multiline, "block-comment"),
        ],
        "block-comment": [
            (r"[^*]+", Comment.Multiline),
            (r"\*/", Comment.Multiline, "#pop"),
            (r"\*", Comment.Multiline),
        ],
        "declarations": [
            (r"(fn|entry)(\s+)(" + IDENTIFIER + r")",
             bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (r"(contract|record|event)(\s+)(" + IDENTIFIER + r")",
             bygroups(Keyword.Declaration, Whitespace, Name.Class)),
            (r"(waterfall)(\s+)(" + IDENTIFIER + r")",
             bygroups(Keyword, Whitespace, Name.Variable)),
            (r"(enum)(\s+)(" + IDENTIFIER + r")",
             bygroups(Keyword.Declaration, Whitespace, Name.Class), "enum-open"),
        ],
        "enum-open": [
            include("whitespace"),
            (r"\{", Punctuation, ("#pop", "enum-members")),
            default("#pop"),
        ],
        "enum-members": [
            include("whitespace"),
            (IDENTIFIER, Name.Constant),
            (r",", Punctuation),
            (r"\}", Punctuation, "#pop"),
            default("#pop"),
        ],
        "literals": [
            (r'"', String.Double, "text"),
            (TIME, Literal.Date),
            (DATE + r"(?![\w.])", Literal.Date),
            (DIGITS + r"(?:\.[0-9][0-9_]*)?[ \t]+[A-Z]{3}(?!\w)", Number),
            (DIGITS + r"(?:\.[0-9][0-9_]*)?%", Number),
            (r"(?:[0-9]+[wdhms])+(?!\w)", Number),
            (DIGITS + r"\.[0-9][0-9_]*", Number.Float),
            (DIGITS, Number.Integer),
        ],
        "text": [
            (r'[^"\\\n]+', String.Double),
            # The escapes that lang/literals.py decodes; any other is a syntax error.
            (r'\\[ntr0"\\]', String.Escape),
            (r"\\u\{[0-9A-Fa-f]{1,6}\}", String.Escape),
            (r"\\.", Error),
            (r'"', String.Double, "#pop"),
            # A text literal ends on its line: flag the break, resume lexing code.
            (r"\n", Error, "#pop"),
        ],
        "names": [
            (words(DECLARATION_KEYWORDS, suffix=r"\b"), Keyword.Declaration),
            (r"import\b", Keyword.Namespace),
            (r"(?:true|false)\b", Keyword.Constant),
            (words(WORD_OPERATORS, suffix=r"\b"), Operator.Word),
            (words(STATEMENT_KEYWORDS, suffix=r"\b"), Keyword),
            (words(BUILTINS, suffix=r"\b"), Name.Builtin),
            (words(TYPES, suffix=r"\b"), Keyword.Type),
            (r"(\.)(\s*)([A-Z][A-Za-z0-9_]*)",
             bygroups(Punctuation, Whitespace, Name.Constant)),
            (r"(\.)(\s*)(" + IDENTIFIER + r")(?=\s*\()",
             bygroups(Punctuation, Whitespace, Name.Function)),
            (r"(\.)(\s*)(" + IDENTIFIER + r")",
             bygroups(Punctuation, Whitespace, Name.Attribute)),
            (r"[A-Z]{3}\b", Name.Constant),
            (r"[A-Z][A-Za-z0-9_]*", Name.Class),
            (IDENTIFIER + r"(?=\s*\()", Name.Function),
            (IDENTIFIER, Name),
        ],
        "operators": [
            (r"->|==|!=|<=|>=|\+=|-=|\*=|/=|%=", Operator),
            (r"[-+*/%<>=!]", Operator),
            (r"[{}()\[\],:;.]", Punctuation),
        ],
    }

    def analyse_text(text):
        """Claims `.sc` files that declare a contract, a scenario or an entry."""
        return 1.0 if TABELLION_SIGNATURE.search(text) else 0.0
