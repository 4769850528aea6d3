torch.manual_seed(205)
a = torch.randn(3, requires_grad=True)
b = (a * 2).relu()


def guard(grads):
    if grads[0].abs().max() > 1:
        raise ValueError(f"gradient too large: {grads[0].abs().max().item():.3f}")


b.grad_fn.register_prehook(guard)
b.sum().backward()
print(a.grad)
(b * 10).sum().backward()
