"""The rules, one module per family; importing this package registers them all in `app.explain.rule.RULES`."""

from . import (  # noqa: F401
    activation,
    complex,
    double,
    elementwise,
    image,
    linalg,
    loss,
    matrix,
    nested,
    nn,
    reduction,
    replaced,
    shape,
    special,
)
