from torch.utils.checkpoint import checkpoint_sequential

torch.manual_seed(71)
model = nn.Sequential(
    nn.Linear(5, 8), nn.Tanh(),
    nn.Linear(8, 8), nn.Tanh(),
    nn.Linear(8, 2),
)
inp = torch.randn(3, 5, requires_grad=True)
out = checkpoint_sequential(model, 2, inp, use_reentrant=False)
loss = out.pow(2).sum()
loss.backward()
print(inp.grad)
ref_grads = [p.grad.clone() for p in model.parameters()]
model.zero_grad()
plain = model(inp.detach()).pow(2).sum()
plain.backward()
print(all(torch.allclose(a, p.grad) for a, p in zip(ref_grads, model.parameters())))
