torch.manual_seed(36)
model = nn.Linear(3, 1)
with torch.inference_mode():
    cached = torch.randn(4, 3) * 2
    preds = model(cached)
print(cached.is_inference(), preds.requires_grad)
w = torch.ones(3, requires_grad=True)
ok = (cached.clone() @ w).sum()
ok.backward()
print(w.grad)
bad = (cached * w).sum()
cached.add_(1)
