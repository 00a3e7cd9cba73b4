"""The interlock expression language: grammar, types checked at load, three-valued
evaluation, and limits that keep every evaluation bounded. Nothing is ever eval'd."""

from __future__ import annotations

from typing import Any

import pytest

from interlock.policy.evaluate import compile_expr
from interlock.policy.expr import MAX_DEPTH, ExprError, Value, check_types, parse

TYPES = {"pump_run": "bool", "tank_level": "number", "level_sp": "number", "value": "bool"}


def evaluate(text: str, **values: Value) -> Value:
    expr = parse(text)
    check_types(expr.root, TYPES)
    getter = compile_expr(expr.root, lambda name: lambda ctx: ctx[name])
    return getter(values)


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("pump_run and tank_level < 90", {"pump_run": True, "tank_level": 45.0}, True),
        ("pump_run and tank_level < 90", {"pump_run": True, "tank_level": 93.5}, False),
        ("not pump_run or tank_level >= 10", {"pump_run": True, "tank_level": 5.0}, False),
        ("tank_level + 2 * 5 == 20", {"tank_level": 10.0}, True),
        ("(tank_level + 2) * 5 == 60", {"tank_level": 10.0}, True),
        ("-tank_level < -5", {"tank_level": 10.0}, True),
        ("abs(level_sp - tank_level) <= 5", {"level_sp": 50.0, "tank_level": 47.0}, True),
        (
            "max(level_sp, tank_level) == 50 and min(level_sp, tank_level) == 47",
            {"level_sp": 50.0, "tank_level": 47.0},
            True,
        ),
        ("value == true", {"value": True}, True),
        ("1.5e1 == 15 and .5 < 1", {}, True),
    ],
)
def test_evaluates_like_the_grammar_says(text: str, values: dict[str, Any], expected: bool) -> None:
    assert evaluate(text, **values) is expected


def test_unknown_propagates_unless_the_other_side_decides() -> None:
    assert evaluate("pump_run and tank_level < 90", pump_run=False, tank_level=None) is False
    assert evaluate("pump_run and tank_level < 90", pump_run=True, tank_level=None) is None
    assert evaluate("pump_run or tank_level < 90", pump_run=True, tank_level=None) is True
    assert evaluate("not pump_run", pump_run=None) is None
    assert evaluate("tank_level / 0 > 1", tank_level=5.0) is None


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("pump_run and", 13, "ends too early"),
        ("tank_level < 90 < 100", 17, "chained comparison"),
        ("(pump_run", 1, "never closed"),
        ("tank_level $ 3", 12, "unexpected `$`"),
        ("__import__('os').system('true')", 12, "unexpected `'`"),
        ("__import__(os)", 11, "unexpected `(`"),
        ("pump_run pump_run", 10, "unexpected `pump_run`"),
        ("abs(1, 2) > 0", 1, "takes 1 argument"),
        ("abs 3", 1, "needs its arguments"),
    ],
)
def test_syntax_errors_say_where(text: str, column: int, message: str) -> None:
    with pytest.raises(ExprError) as caught:
        parse(text)
    assert caught.value.column == column
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tank_level and pump_run", "`and` needs true/false (`tank_level` is a number)"),
        ("pump_run < 3", "`<` needs a number (`pump_run` is a bool)"),
        ("pump_run == 1", "`==` compares a bool with a number"),
        ("tank_levle < 3", "unknown name `tank_levle`"),
        ("not tank_level", "`not` needs true/false"),
    ],
)
def test_types_are_checked_before_anything_runs(text: str, message: str) -> None:
    with pytest.raises(ExprError) as caught:
        check_types(parse(text).root, TYPES)
    assert message in caught.value.message


def test_nesting_and_size_are_bounded() -> None:
    deep = "(" * (MAX_DEPTH + 5) + "pump_run" + ")" * (MAX_DEPTH + 5)
    with pytest.raises(ExprError, match="nested deeper"):
        parse(deep)
    with pytest.raises(ExprError, match="nested deeper"):
        parse("not " * 100 + "pump_run")
    with pytest.raises(ExprError, match="more than 200 terms"):
        parse("x or " * 150 + "x")
    with pytest.raises(ExprError, match="longer than"):
        parse("pump_run or " * 200 + "pump_run")
    parse("(" * (MAX_DEPTH - 2) + "pump_run" + ")" * (MAX_DEPTH - 2))


def test_names_are_listed_once_in_order() -> None:
    expr = parse("pump_run and tank_level < 90 or not pump_run and level_sp > tank_level")
    assert expr.names() == ("pump_run", "tank_level", "level_sp")
