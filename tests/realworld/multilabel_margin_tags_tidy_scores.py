# Multi-label tagging with the multilabel hinge: targets listed first, -1 ends the list
scores = torch.tensor([[0.1, -0.9, 0.4, 0.8],
                       [0.6, 0.2, -0.4, 0.3]], requires_grad=True)
tags = torch.tensor([[0, 3, -1, 0],
                     [1, -1, 0, 0]])
loss = F.multilabel_margin_loss(scores, tags)
loss.backward()
print(f"{loss.item():.6f}")
print(scores.grad)
per_row = nn.MultiLabelMarginLoss(reduction="none")(scores, tags)
print(per_row)
