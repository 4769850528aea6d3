torch.manual_seed(19)
w = torch.randn(3, requires_grad=True)
h = w.tanh()
out = (h * 2).sum()

calls = []


def scale_incoming(grad_outputs):
    calls.append("pre")
    return (grad_outputs[0] * 0.5,)


def show_outgoing(grad_inputs, grad_outputs):
    calls.append("post")
    print("tanh sends", grad_inputs[0])


pre_handle = h.grad_fn.register_prehook(scale_incoming)
post_handle = h.grad_fn.register_hook(show_outgoing)
out.backward()
print(calls)
print(w.grad)
pre_handle.remove()
post_handle.remove()
w.grad = None
out2 = (w.tanh() * 2).sum()
out2.backward()
print(w.grad)
