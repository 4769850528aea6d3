import warnings

torch.manual_seed(145)
a = torch.randn(3, requires_grad=True)
b = a.exp()
c = (b * 2).sum()
c.backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(b.grad)
print(len(caught), caught[0].category.__name__)


def check(value, limit):
    if value > limit:
        warnings.warn(f"value {value:.2f} above {limit}", RuntimeWarning)
    return value


check(c.item(), 1.0)
warnings.simplefilter("error", UserWarning)
print(a.grad)
print(b.grad)
