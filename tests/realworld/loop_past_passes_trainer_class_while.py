import torch
import torch.nn as nn
from dataclasses import dataclass

@dataclass
class Config:
    lr: float = 0.05
    max_steps: int = 130
    log_every: int = 40

class Trainer:
    def __init__(self, model, cfg):
        self.model, self.cfg = model, cfg
        self.opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        self.step = 0

    def train_step(self, x, y):
        self.pred = self.model(x)
        self.loss = nn.functional.mse_loss(self.pred, y)
        self.opt.zero_grad()
        self.loss.backward()
        self.opt.step()
        return self.loss.item()

    def fit(self, x, y):
        while self.step < self.cfg.max_steps:
            value = self.train_step(x, y)
            if self.step % self.cfg.log_every == 0:
                print(f"step {self.step:4d} loss {value:.5f}")
            self.step += 1

torch.manual_seed(0)
x = torch.randn(20, 2)
y = x[:, :1] - x[:, 1:] * 2
trainer = Trainer(nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)), Config())
trainer.fit(x, y)
print(trainer.loss)
