"""The one parser of the machine-readable lines: good, truncated and malformed input."""

import pytest

from tbparse import ParseError, parse_output, parse_result, parse_stat

GOOD = ("RESULT 1 bench=syscall mode=stage2 fmt=short split=2 rep=0 n=1000 ops=1000 "
        "pl1_insn=53439 pl0_insn=4007 cycles=57446 k.syscalls=1001 hyp.trap.hvc=0")


def test_good_result_line():
    r = parse_result(GOOD)
    assert r["bench"] == "syscall" and r["mode"] == "stage2" and r["fmt"] == "short"
    assert r["n"] == 1000 and r["pl1_insn"] == 53439 and r["hyp.trap.hvc"] == 0
    assert list(r)[:5] == ["bench", "mode", "fmt", "split", "rep"]


@pytest.mark.parametrize("line,needle", [
    (GOOD.rsplit(" ", 4)[0], "missing"),                       # truncated
    (GOOD.replace("n=1000", "n=1k"), "not a number"),
    (GOOD.replace("n=1000", "n="), "malformed field"),
    (GOOD.replace("n=1000", "n"), "malformed field"),
    (GOOD.replace("RESULT 1", "RESULT 2"), "unsupported RESULT version"),
    (GOOD + " n=5", "duplicate field"),
    (GOOD.replace("bench=syscall mode=stage2", "mode=stage2 bench=syscall"), "out of order"),
])
def test_bad_result_lines(line, needle):
    with pytest.raises(ParseError, match=needle):
        parse_result(line, "run.log", 7)


def test_errors_name_the_source():
    with pytest.raises(ParseError, match=r"^run\.log:7: "):
        parse_result(GOOD.replace("n=1000", "n=x"), "run.log", 7)


def test_stat_lines():
    assert parse_stat("TBSTAT 1 core.hc_null 12") == ("core.hc_null", 12)
    for bad in ("TBSTAT 1 core.hc_null", "TBSTAT 1 core.hc_null x", "TBSTAT 9 a 1"):
        with pytest.raises(ParseError):
            parse_stat(bad)


def test_output_mixes_other_lines():
    text = "\n".join(["[hyp] boot 1", "bench: hello", GOOD, "TBSTAT 1 trap.hvc 3", ""])
    results, stats = parse_output(text, "x")
    assert len(results) == 1 and stats == {"trap.hvc": 3}


def test_output_with_a_cut_line_is_an_error():
    with pytest.raises(ParseError, match="middle of a line"):
        parse_output("bench: interruptRESULT 1 bench=x", "x")
    with pytest.raises(ParseError, match="malformed field 'n'"):
        parse_output(GOOD[:60], "x")  # cut inside a field
    with pytest.raises(ParseError, match="missing ops"):
        parse_output(GOOD[:GOOD.index(" ops")], "x")  # cut between fields
