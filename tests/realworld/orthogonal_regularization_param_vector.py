from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(52)
model = nn.Sequential(nn.Linear(3, 3, bias=False), nn.Tanh(), nn.Linear(3, 2))
x = torch.randn(4, 3)
task = model(x).pow(2).mean()
W = model[0].weight
ortho = torch.norm(W @ W.t() - torch.eye(3), p="fro") ** 2
l2 = sum(p.pow(2).sum() for name, p in model.named_parameters() if "bias" not in name)
loss = task + 0.1 * ortho + 1e-3 * l2
loss.backward()
print(f"{task.item():.5f} {ortho.item():.5f} {l2.item():.5f}")
flat = parameters_to_vector(model.parameters())
grads = parameters_to_vector([p.grad for p in model.parameters()])
print(flat.shape, grads.norm())
with torch.no_grad():
    vector_to_parameters(flat - 0.1 * grads, model.parameters())
print(model[2].bias)
