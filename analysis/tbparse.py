"""The one parser of the testbed's machine-readable output lines.

  RESULT <version> key=value ...   one measured phase of the benchmark guest
                                   (docs/benchmarks.md)
  TBSTAT <version> <name> <value>  one hypervisor counter at the end of a run
                                   (docs/hypervisor.md)

Every other line (guest chatter, "[hyp] ..." messages) is ignored. A line that starts with
one of these tags but does not parse raises ParseError naming the line: nothing is dropped
silently or half parsed."""

RESULT_TAG = "RESULT"
STAT_TAG = "TBSTAT"
RESULT_VERSION = 1
STAT_VERSION = 1
# Keys every RESULT line has, in this order, before the benchmark's parameters.
RESULT_HEAD = ("bench", "mode", "fmt", "split", "rep")
# Keys that follow the parameters; every other key after "ops" is a counter.
TEXT_KEYS = ("bench", "mode", "fmt")


class ParseError(ValueError):
    """A malformed or truncated output line (with its source and line number)."""

    def __init__(self, message, line, source="", lineno=0):
        where = f"{source}:{lineno}: " if source else ""
        super().__init__(f"{where}{message}: {line!r}")
        self.line = line
        self.source = source
        self.lineno = lineno


def parse_result(line, source="", lineno=0):
    """A RESULT line as an ordered dict of its fields (numbers as int)."""
    parts = line.strip().split(" ")
    if len(parts) < 2 or parts[0] != RESULT_TAG:
        raise ParseError("not a RESULT line", line, source, lineno)
    if parts[1] != str(RESULT_VERSION):
        raise ParseError(f"unsupported RESULT version {parts[1]}", line, source, lineno)
    fields = {}
    for item in parts[2:]:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise ParseError(f"malformed field {item!r}", line, source, lineno)
        if key in fields:
            raise ParseError(f"duplicate field {key!r}", line, source, lineno)
        if key in TEXT_KEYS:
            fields[key] = value
        else:
            try:
                fields[key] = int(value)
            except ValueError:
                raise ParseError(f"field {key!r} is not a number", line, source,
                                 lineno) from None
    missing = [k for k in RESULT_HEAD + ("ops", "pl1_insn", "pl0_insn", "cycles")
               if k not in fields]
    if missing:
        raise ParseError(f"truncated line: missing {', '.join(missing)}", line, source, lineno)
    if list(fields)[:len(RESULT_HEAD)] != list(RESULT_HEAD):
        raise ParseError("fields out of order", line, source, lineno)
    return fields


def parse_stat(line, source="", lineno=0):
    """A TBSTAT line as (name, value)."""
    parts = line.strip().split(" ")
    if len(parts) != 4 or parts[0] != STAT_TAG:
        raise ParseError("malformed TBSTAT line", line, source, lineno)
    if parts[1] != str(STAT_VERSION):
        raise ParseError(f"unsupported TBSTAT version {parts[1]}", line, source, lineno)
    try:
        return parts[2], int(parts[3])
    except ValueError:
        raise ParseError("TBSTAT value is not a number", line, source, lineno) from None


def parse_output(text, source=""):
    """All RESULT records and the TBSTAT counters of one run's console output."""
    results, stats = [], {}
    for lineno, line in enumerate(text.splitlines(), 1):
        # The guest and the hypervisor share a console: a tag may follow other output on
        # the same line only if that output was cut short, which is itself an error.
        if line.startswith(RESULT_TAG + " "):
            results.append(parse_result(line, source, lineno))
        elif line.startswith(STAT_TAG + " "):
            name, value = parse_stat(line, source, lineno)
            stats[name] = value
        elif (RESULT_TAG + " ") in line or (STAT_TAG + " ") in line:
            raise ParseError("tagged output in the middle of a line", line, source, lineno)
    return results, stats
