"""Small autograd helpers with doctests, run with doctest.testmod() as a textbook chapter does."""
import doctest
import torch


def square_grad(values):
    """Gradient of sum(x**2) at the given values.

    >>> square_grad([1.0, 2.0, 3.0])
    tensor([2., 4., 6.])
    >>> square_grad([0.0])
    tensor([0.])
    """
    x = torch.tensor(values, requires_grad=True)
    (x**2).sum().backward()
    return x.grad


def sigmoid_slope(v):
    """Slope of the sigmoid at v.

    >>> round(sigmoid_slope(0.0), 4)
    0.25
    >>> sigmoid_slope(100.0) < 1e-6
    True
    """
    x = torch.tensor(v, requires_grad=True)
    torch.sigmoid(x).backward()
    return x.grad.item()


if __name__ == "__main__":
    results = doctest.testmod(verbose=True)
    print(results)
    g = square_grad([0.5, -1.5])
    print(g)
