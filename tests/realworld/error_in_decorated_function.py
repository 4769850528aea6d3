import functools


def log_calls(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


@log_calls
def train_step(w, batch):
    pred = batch @ w
    loss = pred.pow(2).mean()
    loss.backward()
    return loss.item()


@torch.no_grad()
def apply_update(w, lr):
    w -= lr * w.grad
    w.grad.zero_()


torch.manual_seed(103)
w = torch.randn(3, 1, requires_grad=True)
for batch in [torch.randn(4, 3), torch.randn(2, 3), torch.randn(2, 2)]:
    print(round(train_step(w, batch), 4))
    apply_update(w, 0.1)
