def nt_xent(z1, z2, temperature=0.5):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
    sim = z @ z.T / temperature
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


torch.manual_seed(41)
encoder = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 4))
x = torch.randn(3, 5)
view1 = x + 0.1 * torch.randn_like(x)
view2 = x + 0.1 * torch.randn_like(x)
z1, z2 = encoder(view1), encoder(view2)
loss = nt_xent(z1, z2)
loss.backward()
print(f"NT-Xent: {loss.item():.5f}")
print(encoder[0].weight.grad.norm())

# InfoNCE with cosine_similarity matrix
q = torch.randn(3, 4, requires_grad=True)
k = torch.randn(3, 4, requires_grad=True)
logits = F.cosine_similarity(q.unsqueeze(1), k.unsqueeze(0), dim=-1) / 0.1
info_nce = F.cross_entropy(logits, torch.arange(3))
info_nce.backward()
print(logits)
print(q.grad, k.grad)
