torch.manual_seed(0)
encoder = nn.Linear(4, 3)
head = nn.Linear(3, 2)
opt = torch.optim.SGD(list(encoder.parameters()) + list(head.parameters()), lr=0.1)
x = torch.randn(5, 4)
y = torch.randint(0, 2, (5,))
for epoch in range(4):
    freeze = epoch % 2 == 0
    for p in encoder.parameters():
        p.requires_grad_(not freeze)
    opt.zero_grad()
    out = head(encoder(x))
    loss = F.cross_entropy(out, y)
    loss.backward()
    opt.step()
    print(epoch, "frozen" if freeze else "train", round(loss.item(), 4),
          encoder.weight.grad is None, head.weight.grad.abs().sum().item() > 0)
print(encoder.weight.requires_grad, out.requires_grad)
