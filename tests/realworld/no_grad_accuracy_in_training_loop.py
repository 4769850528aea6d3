torch.manual_seed(0)
X = torch.randn(40, 2)
Y = (X[:, 0] + X[:, 1] > 0).long()
X_val, Y_val = X[30:], Y[30:]
X_tr, Y_tr = X[:30], Y[:30]
clf = nn.Linear(2, 2)
opt = torch.optim.SGD(clf.parameters(), lr=0.5)
for epoch in range(5):
    clf.train()
    logits = clf(X_tr)
    loss = F.cross_entropy(logits, Y_tr)
    opt.zero_grad()
    loss.backward()
    opt.step()
    clf.eval()
    with torch.no_grad():
        val_logits = clf(X_val)
        preds = val_logits.argmax(dim=1)
        acc = (preds == Y_val).float().mean()
    print(f"epoch {epoch} loss {loss.item():.4f} val acc {acc.item():.2%}", val_logits.requires_grad)
correct = (preds == Y_val).sum()
print(correct, acc)
