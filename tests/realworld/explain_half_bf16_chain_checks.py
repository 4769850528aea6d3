torch.manual_seed(90)
for dtype in (torch.float16, torch.bfloat16):
    x = torch.randn(4, 8, dtype=dtype, requires_grad=True)
    lin = nn.Linear(8, 8).to(dtype)
    h = lin(x)
    h = F.gelu(h) * torch.sigmoid(h) + h.tanh().pow(3) - F.softplus(h, beta=2)
    h = F.layer_norm(h, (8,)) + h.softmax(-1) * 10 + h.log_softmax(0)
    h = h / (h.abs() + 1).sqrt() + h.exp().clamp(max=5) + h.cumsum(1) / 8
    loss = h.pow(2).mean() + h.std() + h.logsumexp(1).sum() + h.prod(1).abs().mean()
    loss.backward()
    print(dtype, f"{loss.item():.3f}", x.grad.float().norm().item() > 0)
