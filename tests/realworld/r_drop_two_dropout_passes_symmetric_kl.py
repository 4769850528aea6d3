# R-Drop: the same batch through the model twice in train mode (two dropout masks), cross-entropy on both and a
# symmetric KL between the two predictive distributions; the RNG advances between the passes.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x, y = torch.randn(8, 6), torch.randint(0, 4, (8,))
alpha = 4.0
for step in range(3):
    logits1 = model(x)
    logits2 = model(x)
    ce = 0.5 * (F.cross_entropy(logits1, y) + F.cross_entropy(logits2, y))
    p, q = F.log_softmax(logits1, -1), F.log_softmax(logits2, -1)
    kl = 0.5 * (F.kl_div(p, q, reduction="batchmean", log_target=True) + F.kl_div(q, p, reduction="batchmean", log_target=True))
    loss = ce + alpha * kl
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: ce {ce.item():.4f} kl {kl.item():.5f} same logits: {torch.equal(logits1, logits2)}")
model.eval()
print(torch.equal(model(x), model(x)))
