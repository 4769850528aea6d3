import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(10, 32), nn.ReLU(),
    nn.Linear(32, 32), nn.ReLU(),
    nn.Linear(32, 3),
)
activations, grads = {}, {}

def save_activation(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
    return hook

def save_grad(name):
    def hook(module, grad_input, grad_output):
        grads[name] = grad_output[0].detach()
    return hook

handles = []
for name, module in model.named_modules():
    if isinstance(module, nn.Linear):
        handles.append(module.register_forward_hook(save_activation(name)))
        handles.append(module.register_full_backward_hook(save_grad(name)))

x = torch.randn(16, 10)
target = torch.randint(0, 3, (16,))
loss = nn.functional.cross_entropy(model(x), target)
loss.backward()
for name in activations:
    a, g = activations[name], grads[name]
    dead = (a <= 0).float().mean().item()
    print(f"{name}: mean={a.mean():+.4f} std={a.std():.4f} dead={dead:.2f} |grad|={g.norm():.4e}")
for h in handles:
    h.remove()
print(len(model[0]._forward_hooks), len(model[0]._backward_hooks))
