"""A module-level expression is compiled when first used, and is then the compiled
pattern in all but name."""

import copy
import re

from iacguard.lazy import regex


def test_an_expression_is_compiled_on_first_use_only():
    expression = regex(r"(?P<key>\w+)\s*=\s*(\d+)", re.IGNORECASE)
    assert "search" not in vars(expression)
    compiled = re.compile(r"(?P<key>\w+)\s*=\s*(\d+)", re.IGNORECASE)
    text = "A = 1, b=22"
    assert expression.search(text).groups() == compiled.search(text).groups() == ("A", "1")
    assert expression.search.__self__ is expression.match.__self__  # one compiled pattern, kept
    assert [match.span() for match in expression.finditer(text)] == [match.span() for match in compiled.finditer(text)]
    assert expression.sub(r"\g<key>", text) == compiled.sub(r"\g<key>", text)
    assert (expression.pattern, expression.flags, expression.groups, expression.groupindex) == (
        compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)


def test_copying_one_compiles_nothing():
    expression = regex(r"[")  # would not compile: copy.copy and copy.deepcopy ask for dunder names
    assert copy.copy(expression) is not expression and copy.deepcopy(expression) is not expression
    assert repr(expression) == "regex('[')"


def test_every_module_level_expression_compiles():
    """A mistake in an expression shows when it is first used, no longer at import:
    the test suite compiles them all, those of the rules included."""
    import importlib
    import pkgutil

    import iacguard
    import iacguard.rules
    from iacguard.lazy import Regex

    found = 0
    for package in (iacguard, iacguard.rules):
        for module_info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
            if module_info.name.startswith(("iacguard.lsp", "iacguard.__main__")):
                continue
            for value in vars(importlib.import_module(module_info.name)).values():
                if isinstance(value, Regex):
                    assert value.groups >= 0, value  # compiles it
                    found += 1
    assert found > 100
