"""Compiling a checked interlock expression into nested closures: no eval, no code
generation, one Python call per node. Three-valued: None is unknown and propagates, except
where the other side of `and`/`or` decides (Kleene logic); division by zero is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from interlock.policy.expr import Call, Const, Getter, Name, Node, Unary, Value


def compile_expr(node: Node, resolve: Callable[[str], Getter]) -> Getter:
    """A function of an evaluation context computing node; resolve gives each name's getter."""
    if isinstance(node, Const):
        constant = node.value
        return lambda ctx: constant
    if isinstance(node, Name):
        return resolve(node.name)
    if isinstance(node, Call):
        args = [compile_expr(arg, resolve) for arg in node.args]
        return _call(node.function, args)
    if isinstance(node, Unary):
        operand = compile_expr(node.operand, resolve)
        return _negate(operand) if node.op == "not" else _minus(operand)
    left, right = compile_expr(node.left, resolve), compile_expr(node.right, resolve)
    if node.op == "and":
        return _and(left, right)
    if node.op == "or":
        return _or(left, right)
    return _BINARY[node.op](left, right)


def _and(left: Getter, right: Getter) -> Getter:
    def both(ctx: Any) -> Value:
        a = left(ctx)
        if a is False:
            return False
        b = right(ctx)
        if b is False:
            return False
        return None if a is None or b is None else True

    return both


def _or(left: Getter, right: Getter) -> Getter:
    def either(ctx: Any) -> Value:
        a = left(ctx)
        if a is True:
            return True
        b = right(ctx)
        if b is True:
            return True
        return None if a is None or b is None else False

    return either


def _negate(operand: Getter) -> Getter:
    def negation(ctx: Any) -> Value:
        a = operand(ctx)
        return None if a is None else not a

    return negation


def _minus(operand: Getter) -> Getter:
    def minus(ctx: Any) -> Value:
        a = operand(ctx)
        return None if a is None else -float(a)

    return minus


def _numeric(function: Callable[[float, float], Value]) -> Callable[[Getter, Getter], Getter]:
    def make(left: Getter, right: Getter) -> Getter:
        def apply(ctx: Any) -> Value:
            a, b = left(ctx), right(ctx)
            if a is None or b is None:
                return None
            return function(float(a), float(b))

        return apply

    return make


def _divide(a: float, b: float) -> Value:
    return None if b == 0 else a / b


_BINARY: Final[dict[str, Callable[[Getter, Getter], Getter]]] = {
    "<": _numeric(lambda a, b: a < b),
    "<=": _numeric(lambda a, b: a <= b),
    ">": _numeric(lambda a, b: a > b),
    ">=": _numeric(lambda a, b: a >= b),
    "==": _numeric(lambda a, b: a == b),
    "!=": _numeric(lambda a, b: a != b),
    "+": _numeric(lambda a, b: a + b),
    "-": _numeric(lambda a, b: a - b),
    "*": _numeric(lambda a, b: a * b),
    "/": _numeric(_divide),
}


def _call(function: str, args: list[Getter]) -> Getter:
    if function == "abs":
        (arg,) = args
        return lambda ctx: None if (a := arg(ctx)) is None else abs(float(a))
    pick = min if function == "min" else max
    first, second = args

    def call(ctx: Any) -> Value:
        a, b = first(ctx), second(ctx)
        return None if a is None or b is None else pick(float(a), float(b))

    return call
