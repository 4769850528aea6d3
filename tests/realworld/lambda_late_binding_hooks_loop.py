import torch

torch.manual_seed(1)
layers = [torch.randn(3, requires_grad=True) for _ in range(3)]
scales = [1.0, 10.0, 100.0]
handles = []
for layer, s in zip(layers, scales):
    # the classic bug: every lambda sees the last `s`
    handles.append(layer.register_hook(lambda g: g * s))
out = sum((layer * (i + 1)).sum() for i, layer in enumerate(layers))
out.backward()
print([layer.grad.tolist() for layer in layers])
for h in handles:
    h.remove()
for layer in layers:
    layer.grad = None
fixed = []
for layer, s in zip(layers, scales):
    fixed.append(layer.register_hook(lambda g, s=s: g * s))  # default argument binds now
out = sum((layer * (i + 1)).sum() for i, layer in enumerate(layers))
out.backward()
print([layer.grad.tolist() for layer in layers])
