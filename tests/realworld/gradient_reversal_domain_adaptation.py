class GradReverse(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lambd):
        ctx.lambd = lambd
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.neg() * ctx.lambd, None


def grad_reverse(x, lambd=1.0):
    return GradReverse.apply(x, lambd)


torch.manual_seed(9)
feature = nn.Linear(4, 3)
label_head = nn.Linear(3, 2)
domain_head = nn.Linear(3, 1)
x = torch.randn(6, 4)
y = torch.tensor([0, 1, 1, 0, 1, 0])
domain = torch.tensor([0.0, 0.0, 0.0, 1.0, 1.0, 1.0]).unsqueeze(1)
feats = F.relu(feature(x))
class_loss = F.cross_entropy(label_head(feats), y)
domain_loss = F.binary_cross_entropy_with_logits(domain_head(grad_reverse(feats, 0.5)), domain)
total = class_loss + domain_loss
total.backward()
print(f"class={class_loss.item():.4f} domain={domain_loss.item():.4f}")
print(feature.weight.grad)
print(domain_head.weight.grad)
