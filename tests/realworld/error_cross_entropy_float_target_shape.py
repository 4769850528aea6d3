torch.manual_seed(0)
logits = torch.randn(4, 3, requires_grad=True)
targets = torch.tensor([0, 2, 1, 2])
ok_loss = F.cross_entropy(logits, targets)
ok_loss.backward()
print(ok_loss, logits.grad.sum(dim=1))
soft = F.one_hot(targets, 3).float()
soft_loss = F.cross_entropy(logits, soft)
print(torch.allclose(ok_loss, soft_loss))
wrong = targets.float().unsqueeze(1)
bad_loss = nn.CrossEntropyLoss()(
    logits,
    wrong,
)
