# Integrated Gradients (Sundararajan et al. 2017) for a tiny classifier, with the completeness check


def integrated_gradients(model, x, baseline, target, steps=20):
    alphas = torch.linspace(0, 1, steps + 1).view(-1, 1)
    path = baseline + alphas * (x - baseline)
    path.requires_grad_(True)
    logits = model(path)
    selected = logits[:, target].sum()
    grads, = torch.autograd.grad(selected, path)
    avg_grads = (grads[:-1] + grads[1:]).mean(0) / 2 * 2 / 2
    return (x - baseline) * avg_grads


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Softplus(), nn.Linear(8, 3))
model.eval()
x = torch.tensor([0.5, -1.0, 2.0, 0.1])
baseline = torch.zeros(4)
target = model(x).argmax().item()
attr = integrated_gradients(model, x, baseline, target, steps=50)
delta = model(x)[target] - model(baseline)[target]
print("target class:", target)
for i, a in enumerate(attr):
    print(f"feature {i}: {a.item():+.5f}")
print(f"sum of attributions {attr.sum().item():.5f} vs output delta {delta.item():.5f}")
print("completeness gap < 1e-2:", abs(attr.sum() - delta).item() < 1e-2)

saliency_input = x.clone().requires_grad_()
model(saliency_input)[target].backward()
print("saliency:", saliency_input.grad)
print("grad x input:", (saliency_input.grad * x))
