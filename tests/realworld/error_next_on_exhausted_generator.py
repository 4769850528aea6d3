import torch

def stream():
    for i in range(2):
        yield torch.full((2,), float(i), requires_grad=True)

it = stream()
first = next(it)
second = next(it)
(first + second).sum().backward()
print(first.grad)
third = next(it)
