torch.manual_seed(181)
z = torch.linspace(-3, 3, 13, requires_grad=True)
acts = [
    F.elu(z, alpha=0.7), F.celu(z, alpha=1.5), F.selu(z), F.hardtanh(z, -0.5, 2.0), F.relu6(z * 3),
    F.threshold(z, 0.5, -1.0), F.softshrink(z, 0.8), F.hardshrink(z, 1.1), F.tanhshrink(z), F.softsign(z),
    F.logsigmoid(z), F.hardswish(z), F.hardsigmoid(z), F.mish(z), F.silu(z), F.softplus(z, beta=2, threshold=3),
    F.leaky_relu(z, 0.05), F.gelu(z, approximate="tanh"), F.prelu(z.unsqueeze(0), torch.tensor([0.3])).squeeze(0),
    F.glu(torch.stack([z, z.flip(0)]), dim=0).squeeze(0), F.softmin(z, dim=0), F.log_softmax(z, 0, dtype=torch.float64).float(),
]
weights = torch.arange(1, len(acts) + 1, dtype=torch.float32)
loss = sum(w * a.sum() for w, a in zip(weights, acts))
loss.backward()
print(loss)
print(z.grad)
