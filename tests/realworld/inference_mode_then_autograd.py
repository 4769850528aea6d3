torch.manual_seed(19)
layer = nn.Linear(3, 2)
with torch.inference_mode():
    feats = torch.randn(2, 3)
    emb = layer(feats)
print(emb.requires_grad, emb.is_inference())
head = nn.Linear(2, 1)
out = head(emb.clone()).sum()
out.backward()
print(head.weight.grad)
with torch.inference_mode():
    cached = torch.ones(2, requires_grad=False)
w = torch.ones(2, requires_grad=True)
mix = cached * w
mix.sum().backward()
print(w.grad)
cached.requires_grad_()
