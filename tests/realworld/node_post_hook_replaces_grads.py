torch.manual_seed(131)
w = torch.randn(3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = w * b
act = z.sigmoid()
loss = act.sum()


def clip_outgoing(grad_inputs, grad_outputs):
    print("sigmoid got", [round(v, 4) for v in grad_outputs[0].tolist()])
    return tuple(g.clamp(max=0.2) if g is not None else None for g in grad_inputs)


handle = act.grad_fn.register_hook(clip_outgoing)
loss.backward()
print(w.grad)
print(b.grad)
handle.remove()
