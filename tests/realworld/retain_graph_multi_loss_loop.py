torch.manual_seed(7)
shared = nn.Linear(4, 4)
heads = nn.ModuleList([nn.Linear(4, 1) for _ in range(3)])
x = torch.randn(5, 4)
features = torch.relu(shared(x))
losses = [head(features).pow(2).mean() for head in heads]
grad_norms = []
for i, loss in enumerate(losses):
    shared.zero_grad()
    loss.backward(retain_graph=i < len(losses) - 1)
    grad_norms.append(shared.weight.grad.norm().item())
print([round(g, 4) for g in grad_norms])
print(heads[2].weight.grad)
