# BYOL (Grill et al. 2020): online network + predictor, EMA target, no negatives
import copy


def mlp(i, h, o):
    return nn.Sequential(nn.Linear(i, h), nn.BatchNorm1d(h), nn.ReLU(inplace=True), nn.Linear(h, o))


class BYOL(nn.Module):
    def __init__(self, dim=6, proj=4, tau=0.99):
        super().__init__()
        self.online_encoder = nn.Sequential(nn.Linear(dim, 8), nn.ReLU(), mlp(8, 8, proj))
        self.predictor = mlp(proj, 8, proj)
        self.target_encoder = copy.deepcopy(self.online_encoder)
        for p in self.target_encoder.parameters():
            p.requires_grad = False
        self.tau = tau

    @torch.no_grad()
    def update_target(self):
        for po, pt in zip(self.online_encoder.parameters(), self.target_encoder.parameters()):
            pt.data = self.tau * pt.data + (1 - self.tau) * po.data

    @staticmethod
    def regression_loss(p, z):
        p = F.normalize(p, dim=-1)
        z = F.normalize(z, dim=-1)
        return 2 - 2 * (p * z).sum(dim=-1)

    def forward(self, v1, v2):
        p1 = self.predictor(self.online_encoder(v1))
        p2 = self.predictor(self.online_encoder(v2))
        with torch.no_grad():
            z1 = self.target_encoder(v1)
            z2 = self.target_encoder(v2)
        return (self.regression_loss(p1, z2.detach()) + self.regression_loss(p2, z1.detach())).mean()


def augment(x, g):
    return x + 0.1 * torch.randn(x.shape, generator=g) * (torch.rand(x.shape, generator=g) > 0.2)


torch.manual_seed(0)
g = torch.Generator().manual_seed(1)
model = BYOL()
opt = torch.optim.LARS if hasattr(torch.optim, "LARS") else torch.optim.SGD
opt = opt([p for p in model.parameters() if p.requires_grad], lr=0.05, momentum=0.9, weight_decay=1.5e-6)
data = torch.randn(10, 6)
for step in range(4):
    loss = model(augment(data, g), augment(data, g))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.update_target()
    print(f"step {step}: byol loss {loss.item():.5f}")
print(sum(p.numel() for p in model.parameters() if p.requires_grad), "trainable")
print(model.target_encoder[0].weight.grad, model.target_encoder[0].weight.requires_grad)
