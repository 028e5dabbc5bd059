"""Tests for the `tabellion` command line: the real console script, run in subprocesses.

Every bad input ends with diagnostics or a one-line error and exit status 1 or 2:
never a traceback, never a hang. Error paths that need a broken command are tested
in-process through `main(argv)`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabellion.lang.errors import InternalError, TabellionError
from tabellion.runtime import cli
from tabellion.runtime.commands import check as check_command

SCRIPT = Path(sys.executable).with_name("tabellion")
MODULE = [sys.executable, "-m", "tabellion.runtime.cli"]
TIMEOUT = 120

CLEAN = """contract Counter {
    role owner
    state count: Int = 0

    entry bump() by owner {
        count += 1
    }
}
"""

BROKEN = """contract Counter {
    state count: Int = 0
    entry bump() by anyone {
        if count = 1 { }
    }
}
"""


def tabellion(*args, stdin=None, env=None, command=None):
    """Run the CLI; return (exit status, stdout, stderr)."""
    environment = {**os.environ, "NO_COLOR": "", "TABELLION_DEBUG": ""}
    environment.update(env or {})
    done = subprocess.run(
        (command or MODULE) + [str(a) for a in args],
        input=stdin, capture_output=True, timeout=TIMEOUT, env=environment,
    )
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def write(tmp_path, name, content) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------- basics


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed next to this Python")
def test_console_script_on_path_of_the_venv(tmp_path):
    status, out, err = tabellion("--version", command=[str(SCRIPT)])
    assert status == 0
    assert out.startswith("tabellion ")
    status, out, err = tabellion("check", write(tmp_path, "ok.sc", CLEAN), command=[str(SCRIPT)])
    assert (status, out) == (0, "")
    assert err == "1 file checked, no errors\n"


def test_version():
    status, out, err = tabellion("--version")
    assert status == 0
    assert out.strip() == "tabellion 0.1.0" or out.startswith("tabellion ")
    assert err == ""


def test_help_lists_check():
    status, out, _ = tabellion("--help")
    assert status == 0
    assert "check" in out and "report errors in .sc files" in out


def test_check_help():
    status, out, _ = tabellion("check", "--help")
    assert status == 0
    assert "--format" in out and "FILE" in out


@pytest.mark.parametrize("args", [
    [],                                   # no command
    ["frobnicate"],                       # no such command
    ["check"],                            # no file
    ["check", "--format", "xml", "x.sc"],  # no such format
    ["check", "--colour", "x.sc"],        # no such option
    ["--nope"],
])
def test_usage_errors_exit_2(args):
    status, out, err = tabellion(*args)
    assert status == 2
    assert "usage: tabellion" in err
    assert "Traceback" not in out + err


def test_clean_file(tmp_path):
    status, out, err = tabellion("check", write(tmp_path, "ok.sc", CLEAN))
    assert status == 0
    assert out == ""
    assert err == "1 file checked, no errors\n"


def test_file_with_an_error(tmp_path):
    path = write(tmp_path, "broken.sc", BROKEN)
    status, out, err = tabellion("check", path)
    assert status == 1
    assert out == (
        f"{path}:4:18: error[E0101]: expected an operator or '{{' after 'if count', found '='\n"
        "  |\n"
        "4 |         if count = 1 { }\n"
        "  |                  ^\n"
        "  = hint: to compare, write '=='; to assign, write the assignment on its own line\n"
    )
    assert err == "1 error in 1 file\n"


WARNED = """contract Counter {
    state count: Int = 0
    entry bump() by anyone {
        count += 1
    }
}

scenario "typo" {
    fund alice 10 EUR
    deploy c = Counter() by alice
    call c.bump() by alcie
    expect balance(alice) == 10 EUR
}
"""


def test_warnings_are_shown_but_do_not_fail(tmp_path):
    path = write(tmp_path, "warned.sc", WARNED)
    status, out, err = tabellion("check", path)
    assert status == 0
    assert out.startswith(f"{path}:11:22: warning[W0601]: party 'alcie' appears only once")
    assert err == "1 file checked, no errors, 1 warning\n"
    _, colored, _ = tabellion("check", "--color", "always", path)
    assert "\x1b[1;33mwarning[W0601]\x1b[0m" in colored
    status, out, _ = tabellion("check", "--format", "json", path)
    assert [d["severity"] for d in json.loads(out)] == ["warning"]


def test_several_files_and_the_summary(tmp_path):
    ok = write(tmp_path, "ok.sc", CLEAN)
    broken = write(tmp_path, "broken.sc", BROKEN)
    status, out, err = tabellion("check", ok, broken, tmp_path / "missing.sc")
    assert status == 1
    assert out.count("error[") == 2
    assert "\n\nerror[E0001]" in out            # diagnostics are separated by a blank line
    assert err == "2 errors in 2 files (3 checked)\n"


def test_standard_input():
    status, out, err = tabellion("check", "-", stdin=BROKEN.encode())
    assert status == 1
    assert out.startswith("<stdin>:4:18: error[E0101]")
    assert "4 |         if count = 1 { }" in out
    status, out, err = tabellion("check", "-", stdin=CLEAN.encode())
    assert status == 0


# ---------------------------------------------------------------- bad input


def nested_ifs(depth):
    return "contract C {\n    entry e() by anyone {\n" + "if true {\n" * depth + "}\n" * depth + "    }\n}\n"


BAD_INPUTS = {
    "empty": b"",
    "whitespace": b"   \n\n\t\n",
    "binary": bytes(range(256)) * 40,
    "nul": b"contract A {\x00}",
    "latin1": "contract Caf\u00e9 { }".encode("latin-1"),
    "utf16": "contract A { }".encode("utf-16"),
    "parens": b"(" * 1_000_000,
    "brackets": b"[" * 1_000_000,
    "braces": b"{" * 1_000_000,
    "parens_in_expression": ("contract C { entry e() by anyone { let x = " + "(" * 500_000).encode(),
    "long_identifier": ("contract " + "a" * 10_000 + " {\n    role " + "b" * 10_000 + "\n}\n").encode(),
    "long_unknown_name": ("contract C {\n    entry e() by anyone {\n        let x = " + "n" * 10_000 + "\n    }\n}\n").encode(),
    "sum_100000_terms": ("contract C {\n    entry e() by anyone {\n        let x = " + "+".join(["1"] * 100_000) + "\n    }\n}\n").encode(),
    "sum_95_terms": ("contract C {\n    entry e() by anyone {\n        let x = " + "+".join(["1"] * 95) + "\n    }\n}\n").encode(),
    "nested_ifs_1000": nested_ifs(1000).encode(),
    "nested_ifs_45": nested_ifs(45).encode(),
    "nested_ifs_150": nested_ifs(150).encode(),
    "else_if_5000": ("contract C {\n    entry e() by anyone {\n        if true { }" + " else if true { }" * 5000 + "\n    }\n}\n").encode(),
    "long_text": ('contract C {\n    entry e() by anyone {\n        let t = "' + "x" * 1_000_000 + '"\n    }\n}\n').encode(),
    "long_comment": ("// " + "x" * 1_000_000 + "\n").encode(),
    "unterminated_comment": b"/*" * 200_000,
    "huge_number": ("contract C {\n    entry e() by anyone {\n        let x = " + "9" * 100_000 + "\n    }\n}\n").encode(),
    "escape_sequence_in_source": b'contract C {\n    entry e() by anyone {\n        let t = "\x1b[2J"\n        let u = v\n    }\n}\n',
    "only_closing": b"}" * 100_000,
    "random_tokens": b"contract ) ] } entry by pays , : -> % 1.5 EUR " * 2_000,
    "crlf_and_cr": b"contract C {\r\n    role r\r    entry e() by r {\r\n x = \r\n}\r}\r\n",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_never_gives_a_traceback(tmp_path, name):
    path = write(tmp_path, f"{name}.sc", BAD_INPUTS[name])
    status, out, err = tabellion("check", path)
    assert status in (0, 1), (status, err[-2000:])
    assert "Traceback" not in out + err
    assert "internal error" not in err
    if status == 1:
        assert "error[E" in out
        assert err.endswith("1 error in 1 file\n") or " errors in 1 file" in err
    assert "\x1b" not in out  # no terminal escapes, even from the file's own text


@pytest.mark.parametrize("name", ["sum_95_terms", "nested_ifs_45"])
def test_deep_but_legal_input_checks_clean(tmp_path, name):
    status, out, err = tabellion("check", write(tmp_path, f"{name}.sc", BAD_INPUTS[name]))
    assert (status, out) == (0, "")


@pytest.mark.parametrize("name", ["parens", "brackets", "sum_100000_terms", "nested_ifs_1000", "nested_ifs_150", "else_if_5000"])
def test_deep_nesting_is_E0003(tmp_path, name):
    path = write(tmp_path, f"{name}.sc", BAD_INPUTS[name])
    status, out, err = tabellion("check", path)
    assert status == 1
    assert "error[E0003]" in out


def test_missing_file(tmp_path):
    status, out, err = tabellion("check", tmp_path / "nope.sc")
    assert status == 1
    assert out == f"error[E0001]: {tmp_path / 'nope.sc'}: no such file\n"
    assert err == "1 error in 1 file\n"


def test_directory(tmp_path):
    status, out, err = tabellion("check", tmp_path)
    assert status == 1
    assert out == f"error[E0001]: {tmp_path}: is a directory, not a .sc file\n"


def test_not_utf8_names_the_line(tmp_path):
    path = write(tmp_path, "latin.sc", b"contract A { }\n// caf\xe9\n")
    status, out, err = tabellion("check", path)
    assert status == 1
    assert out == f"error[E0002]: {path}: not UTF-8 text (invalid byte 0xe9 on line 2)\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_device():
    status, out, err = tabellion("check", "/dev/zero")
    assert status == 1
    assert "file too large" in out


def test_broken_pipe_is_quiet(tmp_path):
    source = "contract C {\n    entry e() by anyone {\n" + "        let x = 1.5\n" * 20_000 + "    }\n}\n"
    path = write(tmp_path, "many.sc", source)
    environment = {**os.environ, "NO_COLOR": ""}
    process = subprocess.Popen(MODULE + ["check", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    status = process.wait(timeout=TIMEOUT)
    assert "Traceback" not in err
    assert status in (0, 1, 141)


# ---------------------------------------------------------------- JSON


def test_json_for_a_clean_file(tmp_path):
    status, out, err = tabellion("check", "--format", "json", write(tmp_path, "ok.sc", CLEAN))
    assert status == 0
    assert json.loads(out) == []
    assert err == ""


def test_json_diagnostics(tmp_path):
    broken = write(tmp_path, "broken.sc", BROKEN)
    missing = tmp_path / "missing.sc"
    status, out, err = tabellion("check", broken, missing, "--format", "json")
    assert status == 1
    found = json.loads(out)
    assert [d["code"] for d in found] == ["E0101", "E0001"]
    first = found[0]
    assert first == {
        "code": "E0101", "severity": "error",
        "message": "expected an operator or '{' after 'if count', found '='",
        "file": str(broken), "line": 4, "column": 18, "end_line": 4, "end_column": 19,
        "hint": "to compare, write '=='; to assign, write the assignment on its own line",
        "notes": [],
    }
    assert found[1]["file"] == str(missing)   # no span, but the file is named
    assert found[1]["line"] is None


@pytest.mark.parametrize("name", ["binary", "parens", "sum_100000_terms", "long_identifier"])
def test_json_for_bad_input_is_valid_json(tmp_path, name):
    path = write(tmp_path, f"{name}.sc", BAD_INPUTS[name])
    status, out, err = tabellion("check", "--format", "json", path)
    assert status in (0, 1)
    assert isinstance(json.loads(out), list)
    assert "Traceback" not in err


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1"])
def test_non_ascii_output_on_any_terminal_encoding(tmp_path, encoding):
    path = write(tmp_path, "caf\u00e9.sc", 'contract C {\n    entry e() by anyone { let u = caf\u00e9\u65e5 }\n}\n')
    status, out, err = tabellion("check", path, env={"PYTHONIOENCODING": encoding})
    assert status == 1
    assert "error[E0103]" in out and "Traceback" not in err
    status, out, err = tabellion("check", "--format", "json", path, env={"PYTHONIOENCODING": encoding})
    (diagnostic,) = json.loads(out)
    assert diagnostic["message"] == "unexpected character '\u00e9'"
    assert diagnostic["file"] == str(path)


# ---------------------------------------------------------------- color


RED_BOLD = "\x1b[1;31m"
CYAN = "\x1b[36m"


def test_piped_output_is_plain(tmp_path):
    _, out, _ = tabellion("check", write(tmp_path, "broken.sc", BROKEN))
    assert "\x1b" not in out


def test_color_always(tmp_path):
    _, out, _ = tabellion("check", "--color", "always", write(tmp_path, "broken.sc", BROKEN))
    assert f"{RED_BOLD}error[E0101]\x1b[0m: expected" in out
    assert f"{CYAN}  = hint: to compare" in out


def run_on_a_terminal(args, env):
    """Run the CLI with stdout on a pseudo-terminal; return what it wrote there."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    environment = {**os.environ, **env}
    try:
        process = subprocess.Popen(MODULE + args, stdout=follower, stderr=subprocess.PIPE, env=environment)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=TIMEOUT)
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_color_on_a_terminal(tmp_path):
    path = str(write(tmp_path, "broken.sc", BROKEN))
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env["TERM"] = "xterm"
    colored = run_on_a_terminal(["check", path], {**env, "NO_COLOR": ""})
    assert RED_BOLD in colored and CYAN in colored
    plain = run_on_a_terminal(["check", path], {**env, "NO_COLOR": "1"})
    assert "error[E0101]" in plain and "\x1b[" not in plain


def test_use_color_rules(monkeypatch):
    class Terminal:
        def isatty(self):
            return True

    class Pipe:
        def isatty(self):
            return False

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert check_command.use_color("auto", Terminal())
    assert not check_command.use_color("auto", Pipe())
    assert check_command.use_color("always", Pipe())
    assert not check_command.use_color("never", Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not check_command.use_color("auto", Terminal())
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.setenv("TERM", "dumb")
    assert not check_command.use_color("auto", Terminal())


# ---------------------------------------------------------------- failures of Tabellion itself


def broken_check(monkeypatch, error):
    def run(args):
        raise error

    monkeypatch.setattr(check_command, "run", run)


def test_a_user_error_is_one_line(monkeypatch, capsys, tmp_path):
    broken_check(monkeypatch, TabellionError("the chain directory is locked\nby another process"))
    assert cli.main(["check", "x.sc"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "error: the chain directory is locked by another process\n"
    assert captured.out == ""


def test_an_internal_error_is_reported_as_a_bug(monkeypatch, capsys):
    monkeypatch.delenv("TABELLION_DEBUG", raising=False)
    broken_check(monkeypatch, InternalError("checker lost a type"))
    assert cli.main(["check", "x.sc"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("internal error: checker lost a type — this is a bug in Tabellion, please report it\n")
    assert "Traceback" not in err


def test_an_unexpected_exception_is_reported_as_a_bug(monkeypatch, capsys):
    monkeypatch.delenv("TABELLION_DEBUG", raising=False)
    broken_check(monkeypatch, ZeroDivisionError("division by zero"))
    assert cli.main(["check", "x.sc"]) == 3
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: division by zero — this is a bug in Tabellion, please report it" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch, capsys):
    monkeypatch.setenv("TABELLION_DEBUG", "1")
    broken_check(monkeypatch, InternalError("checker lost a type"))
    assert cli.main(["check", "x.sc"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "internal error: checker lost a type" in err


def test_keyboard_interrupt_is_quiet(monkeypatch, capsys):
    broken_check(monkeypatch, KeyboardInterrupt())
    assert cli.main(["check", "x.sc"]) == 130
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_recursion_in_a_later_stage_is_a_diagnostic(monkeypatch, capsys, tmp_path):
    import tabellion.lang

    def overflow(source, path="<input>", loader=None):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(tabellion.lang, "compile_source", overflow)
    path = write(tmp_path, "ok.sc", CLEAN)
    assert cli.main(["check", str(path)]) == 1
    assert "error[E0003]: input too deeply nested" in capsys.readouterr().out


def test_main_returns_usage_status_instead_of_exiting(capsys):
    assert cli.main([]) == 2
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("tabellion ")


# ---------------------------------------------------------------- cold start


def test_check_imports_nothing_heavy(tmp_path):
    path = write(tmp_path, "ok.sc", CLEAN)
    probe = (
        "import sys\n"
        "from tabellion.runtime.cli import main\n"
        f"status = main(['check', {str(path)!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'hypothesis', 'prompt_toolkit', 'pygments', 'nacl', 'sqlite3', 'pexpect'} "
        "or m.startswith('tabellion.runtime.') and m.split('.')[2] not in {'cli', 'commands'})\n"
        "print(status, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=TIMEOUT, text=True)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr


def test_every_listed_command_module_has_the_protocol():
    from importlib import import_module

    from tabellion.runtime.commands import COMMANDS, available

    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert "check" in [c.name for c in available()]
    for command in available():
        module = import_module(command.qualified_module)
        assert callable(module.add_arguments) and callable(module.run)
