"""`property "name" (params) where cond { steps }` blocks, run for generated arguments.

Params are bound as scenario locals, `where` is Hypothesis' `assume`, the steps
run with the ScenarioRunner; a failure prints a scenario that binds the shrunk
arguments with `let` and runs the steps as written.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tabellion.lang import compile_source
from tabellion.lang.types import ListT, MapT, MoneyT, PARTY, INT
from tabellion.runtime.scenarios import ScenarioRunner
from tabellion.runtime.testing import ContractFailure
from tabellion.runtime.testing.properties import property_pool, resolve_type
from tabellion.runtime.testing.session import Options, run_property

SONG = """
contract Song {
    party society
    party author
    party composer
    party publisher

    enum Right { Performance, Mechanical }

    entry distribute() by society pays any {
        require received > 0 EUR, "nothing to distribute"
        let third = received / 3
        pay third to author
        pay third to composer
        pay third to publisher
    }

    property "the publisher gets a third, rounded down" (x: Money) where x > 0 EUR {
        fund sacem x
        deploy Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem
        call distribute() by sacem paying x
        expect balance(nord) == x / 3
    }

    property "rights are one of two" (r: Right, n: Int) where n >= 0 and n < 10 {
        expect r == Right.Performance or r == Right.Mechanical
    }
}

property "every cent is paid out" (x: Money) where x > 0 EUR {
    fund sacem x
    deploy s = Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem
    call s.distribute() by sacem paying x
    expect balance(lea) + balance(malik) + balance(nord) == x
}

property "nobody but the society distributes" (who: Party, x: Money) where who != sacem and x > 0 EUR {
    fund who x
    deploy s = Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem
    expect fails call s.distribute() by who paying x
}

property "fund gives to the party a Party param holds" (who: Party, x: Money) where x > 0 EUR {
    fund who x
    expect balance(who) == x
}

property "never" (x: Int) where x > 1 and x < 1 {
    expect x == x
}
"""


def checked_and_runner():
    checked = compile_source(SONG, "song.sc")
    return checked, ScenarioRunner(checked)


def find(checked, name):
    for info in checked.contracts.values():
        for node in info.properties:
            if node.name == name:
                return node, info.name
    for node in checked.properties:
        if node.name == name:
            return node, None
    raise KeyError(name)


@pytest.mark.parametrize("name", ["the publisher gets a third, rounded down", "rights are one of two",
                                  "nobody but the society distributes",
                                  "fund gives to the party a Party param holds"])
def test_a_true_property_passes(name):
    checked, runner = checked_and_runner()
    node, home = find(checked, name)
    assert run_property(runner, node, home, Options(max_examples=50, seed=3)) is None


def test_a_false_property_fails_with_shrunk_arguments_and_a_scenario_to_paste():
    checked, runner = checked_and_runner()
    node, home = find(checked, "every cent is paid out")
    failure = run_property(runner, node, home, Options(max_examples=100, seed=3))
    assert isinstance(failure, ContractFailure) and failure.kind == "property"
    assert failure.message.startswith('property "every cent is paid out" fails at `expect balance(lea)')
    assert failure.detail == ("balance(lea) + balance(malik) + balance(nord) is 0.00 EUR", "x is 0.01 EUR")
    assert failure.scenario() == (
        'scenario "counterexample: every cent is paid out" {\n'
        "    let x: Money = 0.01 EUR\n"
        "    fund sacem x\n"
        "    deploy s = Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem\n"
        "    call s.distribute() by sacem paying x\n"
        "    expect balance(lea) + balance(malik) + balance(nord) == x   // <- expectation failed\n"
        "}")


def test_a_where_that_never_holds_is_reported():
    checked, runner = checked_and_runner()
    node, home = find(checked, "never")
    failure = run_property(runner, node, home, Options(max_examples=20, seed=3))
    assert isinstance(failure, ContractFailure) and "no example could be run" in failure.message


def test_param_types_and_the_party_pool():
    checked, _ = checked_and_runner()
    node, home = find(checked, "nobody but the society distributes")
    assert resolve_type(node.params[0].type, checked, home) == PARTY
    assert resolve_type(node.params[1].type, checked, home) == MoneyT()
    assert property_pool(checked, node) == ("sacem", "lea", "malik", "nord", "eve")
    source = 'property "p" (a: List[Party], b: Map[Int, Money[USD]]) { expect len(a) >= 0 }'
    other = compile_source(source, "p.sc")
    a, b = other.properties[0].params
    assert resolve_type(a.type, other, None) == ListT(PARTY)
    assert resolve_type(b.type, other, None) == MapT(INT, MoneyT("USD"))


def test_tabellion_test_runs_properties_and_the_counterexample_replays(tmp_path):
    path = tmp_path / "song.sc"
    path.write_text(SONG, encoding="utf-8")
    environment = {**os.environ, "NO_COLOR": "1"}
    cli = [sys.executable, "-m", "tabellion.runtime.cli"]
    done = subprocess.run(cli + ["test", str(path), "--seed", "3", "--no-database"], capture_output=True,
                          text=True, timeout=300, env=environment)
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'ok    Song: property "the publisher gets a third, rounded down"' in done.stdout
    assert 'FAIL  (file): property "every cent is paid out"' in done.stdout
    scenario = re.search(r'^scenario "counterexample: every cent is paid out" \{\n.*?^\}$', done.stdout,
                         re.MULTILINE | re.DOTALL).group(0)
    path.write_text(SONG + "\n" + scenario + "\n", encoding="utf-8")
    replay = subprocess.run(cli + ["run", str(path), "--scenario", "counterexample: every cent is paid out"],
                            capture_output=True, text=True, timeout=300, env=environment)
    assert replay.returncode == 1
    assert "FAIL expect balance(lea) + balance(malik) + balance(nord) == x" in replay.stdout
    assert "x is 0.01 EUR" in replay.stdout
