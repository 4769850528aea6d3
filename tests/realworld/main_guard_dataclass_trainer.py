from dataclasses import dataclass


@dataclass
class Config:
    lr: float = 0.1
    epochs: int = 3
    hidden: int = 4


class MLP(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


def train(model, cfg, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr)
    for epoch in range(cfg.epochs):
        pred = model(x)
        loss = F.mse_loss(pred, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss


if __name__ == "__main__":
    torch.manual_seed(29)
    cfg = Config()
    model = MLP(cfg)
    x = torch.randn(6, 2)
    y = x[:, 0] - x[:, 1]
    final = train(model, cfg, x, y)
    print(cfg, round(final.item(), 4))
