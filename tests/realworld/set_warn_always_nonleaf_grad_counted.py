import warnings

w = torch.ones(3, requires_grad=True)
h = w * 2
(h.sum()).backward()


def read_grads(n):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(n):
            _ = h.grad
    return len(caught)


print("default:", torch.is_warn_always_enabled(), read_grads(3))
torch.set_warn_always(True)
print("warn always:", torch.is_warn_always_enabled(), read_grads(3))
torch.set_warn_always(False)
print(w.grad, h.requires_grad, h.is_leaf)
