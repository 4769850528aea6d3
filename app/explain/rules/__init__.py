"""The rules, one module per family; importing this package registers them all in `app.explain.rule.RULES`."""

from . import activation, complex, double, elementwise, image, linalg, loss, matrix, nn, reduction, shape, special  # noqa: F401
