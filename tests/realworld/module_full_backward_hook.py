torch.manual_seed(9)
model = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
seen = []

def hook(module, grad_input, grad_output):
    seen.append((type(module).__name__, tuple(g.shape for g in grad_output if g is not None)))
    return (grad_input[0] * 0.5,)

handle = model[2].register_full_backward_hook(hook)
x = torch.randn(2, 3, requires_grad=True)
out = model(x).sum()
out.backward()
print(seen)
handle.remove()
print(x.grad)
