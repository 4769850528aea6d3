class FocalLoss(nn.Module):
    def __init__(self, gamma=2.0, alpha=None):
        super().__init__()
        self.gamma = gamma
        self.alpha = alpha

    def forward(self, logits, target):
        logp = F.log_softmax(logits, dim=-1)
        logpt = logp.gather(1, target.unsqueeze(1)).squeeze(1)
        pt = logpt.exp()
        loss = -((1 - pt) ** self.gamma) * logpt
        if self.alpha is not None:
            loss = loss * self.alpha[target]
        return loss.mean()


torch.manual_seed(22)
logits = torch.randn(5, 3, requires_grad=True)
target = torch.tensor([0, 2, 1, 1, 0])
focal = FocalLoss(gamma=0.0)(logits, target)
ce = F.cross_entropy(logits, target)
print(torch.allclose(focal, ce), focal, ce)
fl = FocalLoss(gamma=2.0, alpha=torch.tensor([0.25, 0.5, 0.25]))(logits, target)
fl.backward()
print(fl)
print(logits.grad)

# binary focal loss (sigmoid)
z = torch.randn(6, requires_grad=True)
t = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
p = torch.sigmoid(z)
ce_b = F.binary_cross_entropy_with_logits(z, t, reduction="none")
p_t = p * t + (1 - p) * (1 - t)
bfl = (ce_b * (1 - p_t) ** 2).mean()
bfl.backward()
print(z.grad)
