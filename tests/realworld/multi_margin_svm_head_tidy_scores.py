# Multi-class SVM (Crammer-Singer) head: hinge on the score gaps, margin 0.9
scores = torch.tensor([[0.9, 0.0, 0.3],
                       [0.2, 1.1, 0.2],
                       [0.5, 0.5, 1.4]], requires_grad=True)
labels = torch.tensor([0, 1, 2])
crit = nn.MultiMarginLoss(margin=0.9)
loss = crit(scores, labels)
loss.backward()
print(f"hinge loss {loss.item():.4f}")
print(scores.grad)
sq = F.multi_margin_loss(scores, labels, p=2, margin=0.9, weight=torch.tensor([1.0, 2.0, 0.5]))
print(round(sq.item(), 5))
g, = torch.autograd.grad(sq, scores)
print(g)
