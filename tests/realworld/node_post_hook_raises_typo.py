torch.manual_seed(78)
w = torch.randn(3, requires_grad=True)
h = w.tanh()
out = (h * 2).sum()
def log_grads(grad_inputs, grad_outputs):
    print("MulBackward sent", grad_inputs[0].shape)
    print(grad_inputs[0].nrom())     # typo
h.grad_fn.register_hook(lambda gi, go: print("tanh node done"))
out.grad_fn.next_functions[0][0].register_hook(log_grads)
out.backward()
