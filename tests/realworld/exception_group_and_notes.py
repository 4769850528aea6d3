import torch

def check_grads(named):
    errors = []
    for name, g in named.items():
        if g is None:
            err = ValueError(f"{name} has no grad")
            err.add_note("did you forget requires_grad=True?")
            errors.append(err)
    if errors:
        raise ExceptionGroup("gradient check failed", errors)

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
(a * b).sum().backward()
try:
    check_grads({"a": a.grad, "b": b.grad})
except* ValueError as eg:
    for e in eg.exceptions:
        print(e, e.__notes__)
print(a.grad)
check_grads({"b": b.grad})
