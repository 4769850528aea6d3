# An error raised while a function is defined, not called: the default argument `scale=torch.ones(3) @ W` is
# evaluated at the `def` line (a shape mistake in a config helper), after a decorator whose line is above it.
import functools

torch.manual_seed(0)
W = torch.randn(4, 2)


def logged(fn):
    @functools.wraps(fn)
    def inner(*args, **kwargs):
        print("calling", fn.__name__)
        return fn(*args, **kwargs)

    return inner


@logged
def project(x, weight=W):
    return x @ weight


out = project(torch.randn(1, 4))
print(out.shape)


@logged
def rescale(x,
            scale=torch.ones(3) @ W):
    return x * scale


print("never reached")
