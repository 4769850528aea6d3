x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.pow(2)
loss = y.sum()

def double_inputs(grad_inputs, grad_outputs):
    return tuple(g * 2 if g is not None else None for g in grad_inputs)

h = y.grad_fn.register_hook(double_inputs)
loss.backward()
print(x.grad)
