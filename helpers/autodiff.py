"""A tiny scalar reverse-mode automatic differentiation engine.

Every ``Var`` holds a number (``value``), the derivative of the final output
with respect to it (``grad``, filled in by ``backward()``), and its parents,
each paired with the *local* derivative d(this)/d(parent). Each operation
computes that local derivative right beside its forward value, while the
inputs are at hand. ``backward()`` then applies the chain rule once per edge,
visiting the nodes from the output back to the inputs:

    parent.grad += local_derivative * node.grad

The ``+=`` is what makes a variable used twice receive the sum of both paths.
As in PyTorch, the gradients of leaves (variables you created yourself)
accumulate across calls to ``backward()``; call ``zero_grad`` between them.

    >>> x = Var(2.0, name="x"); y = Var(-3.0, name="y")
    >>> f = x * y + x.tanh()
    >>> f.backward(); round(x.grad, 4), round(y.grad, 4)
    (-2.9293, 2.0)
"""

from __future__ import annotations

import math

from helpers import validation as check


class Var:
    """A scalar in a computational graph: ``value``, ``grad``, ``parents``."""

    def __init__(self, value, parents=(), op="", name=""):
        self.value = check.finite_number("value", value, what="a finite real number")
        self.grad = 0.0
        self.parents = tuple(parents)  # pairs (parent Var, d self / d parent)
        self.op = op                   # "" for a leaf, else the operation that made it
        self.name = name

    def __repr__(self):
        label = f"{self.name}, " if self.name else ""
        return f"Var({label}value={self.value:.6g}, grad={self.grad:.6g})"

    # ----- operations: forward value and local derivatives side by side -----
    def __add__(self, other):
        other = _as_var(other)
        return Var(self.value + other.value, [(self, 1.0), (other, 1.0)], "+")

    def __sub__(self, other):
        other = _as_var(other)
        return Var(self.value - other.value, [(self, 1.0), (other, -1.0)], "-")

    def __mul__(self, other):
        other = _as_var(other)
        return Var(self.value * other.value, [(self, other.value), (other, self.value)], "*")

    def __truediv__(self, other):
        other = _as_var(other)
        a, b = self.value, other.value
        if b == 0:
            raise ValueError(f"division by zero: denominator value={b}")
        return Var(a / b, [(self, 1.0 / b), (other, -a / b**2)], "/")

    def __pow__(self, k):
        k = check.finite_number("k", k, what="a plain finite number (the exponent)")
        a = self.value
        if (a == 0 and k < 1) or (a < 0 and k != int(k)):
            raise ValueError(f"x**k is not differentiable (or not real) at x={a}, k={k}")
        try:
            return Var(a**k, [(self, k * a ** (k - 1))], f"**{k:g}")
        except OverflowError:
            raise ValueError(f"x**k overflows at x={a}, k={k}: value must be a finite real number") from None

    def __neg__(self):
        return Var(-self.value, [(self, -1.0)], "neg")

    def tanh(self):
        t = math.tanh(self.value)
        return Var(t, [(self, 1.0 - t * t)], "tanh")

    def exp(self):
        if self.value > 709.78:   # math.exp(709.79) overflows
            raise ValueError(f"exp overflows: value must be <= 709.78 here, got value={self.value}")
        e = math.exp(self.value)
        return Var(e, [(self, e)], "exp")

    def log(self):
        if self.value <= 0:
            raise ValueError(f"log needs a positive value, got value={self.value}")
        return Var(math.log(self.value), [(self, 1.0 / self.value)], "log")

    def relu(self):
        positive = self.value > 0
        return Var(self.value if positive else 0.0, [(self, 1.0 if positive else 0.0)], "relu")

    # number OP Var: turn the number into a Var and reuse the rules above
    def __radd__(self, other): return _as_var(other) + self
    def __rsub__(self, other): return _as_var(other) - self
    def __rmul__(self, other): return _as_var(other) * self
    def __rtruediv__(self, other): return _as_var(other) / self

    # ----- reverse sweep -----
    def nodes(self):
        """Every node this one depends on (itself included), each after all of
        its parents: a topological order, found by depth-first search."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)          # all parents are already in `order`
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))  # come back once the parents are placed
                stack.extend((p, False) for p, _ in node.parents)
        return order

    def backward(self):
        """Fill ``.grad`` of every node with d(self)/d(node)."""
        order = self.nodes()
        # 1. intermediate results start from zero; leaves keep what they had (accumulate)
        for node in order:
            if node.parents:
                node.grad = 0.0
        # 2. seed: d self / d self = 1
        self.grad += 1.0
        # 3. outputs before inputs: by the time we reach a node, every path
        #    from `self` to it has added its share to node.grad
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += local * node.grad  # chain rule, one edge

    def graph(self, digits=4):
        """The computational graph as indented text, output at the top.
        A node reached a second time is marked ``(again)`` and not expanded."""
        lines, shown = [], set()

        def walk(node, prefix, branch, last):
            label = node.name or node.op or "const"
            again = " (again)" if id(node) in shown and node.parents else ""
            lines.append(f"{prefix}{branch}{label}  value={node.value:.{digits}f}"
                         f"  grad={node.grad:.{digits}f}{again}")
            if again:
                return
            shown.add(id(node))
            child_prefix = prefix + ("" if not branch else ("   " if last else "│  "))
            for i, (parent, _) in enumerate(node.parents):
                end = i == len(node.parents) - 1
                walk(parent, child_prefix, "└─ " if end else "├─ ", end)

        walk(self, "", "", True)
        return "\n".join(lines)


def _as_var(x):
    return x if isinstance(x, Var) else Var(x)


def zero_grad(variables):
    """Set ``.grad = 0`` on each variable, e.g. the parameters before a new backward()."""
    for v in variables:
        v.grad = 0.0
