#!/usr/bin/env python
"""Regression trainer: argparse config, logging to stdout, EMA weights, SWA at the end, checkpoint resume."""
import argparse
import copy
import io
import logging
import random

import numpy as np
from torch.optim.swa_utils import AveragedModel, SWALR, get_ema_multi_avg_fn

logging.basicConfig(level=logging.INFO, format="%(levelname)s | %(message)s", stream=__import__("sys").stdout)
log = logging.getLogger("trainer")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--swa-start", type=int, default=2)
    p.add_argument("--seed", type=int, default=1234)
    return p.parse_args(argv)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def batches(x, y, bs, shuffle=True):
    idx = torch.randperm(len(x)) if shuffle else torch.arange(len(x))
    for i in range(0, len(x), bs):
        j = idx[i : i + bs]
        yield x[j], y[j]


args = parse_args([])
seed_everything(args.seed)
X = torch.from_numpy(np.random.randn(48, 5).astype(np.float32))
true_w = torch.tensor([1.0, -1.0, 0.5, 0.0, 2.0])
Y = X @ true_w + 0.1 * torch.randn(48)
x_tr, y_tr, x_va, y_va = X[:36], Y[:36], X[36:], Y[36:]

model = nn.Sequential(nn.Linear(5, 16), nn.SiLU(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
swa = AveragedModel(model)
swa_sched = SWALR(opt, swa_lr=0.01, anneal_epochs=1)
ckpt = io.BytesIO()

for epoch in range(args.epochs):
    model.train()
    for xb, yb in batches(x_tr, y_tr, 12):
        opt.zero_grad()
        loss = F.mse_loss(model(xb).squeeze(-1), yb)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        ema.update_parameters(model)
    if epoch >= args.swa_start:
        swa.update_parameters(model)
        swa_sched.step()
    with torch.no_grad():
        val = {name: F.mse_loss(m(x_va).squeeze(-1), y_va).item() for name, m in [("model", model), ("ema", ema)]}
    log.info("epoch %d loss %.4f val %.4f ema %.4f lr %.4f", epoch, loss.item(), val["model"], val["ema"], opt.param_groups[0]["lr"])
    if epoch == 1:
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch}, ckpt)

ckpt.seek(0)
state = torch.load(ckpt)
resumed = copy.deepcopy(model)
resumed.load_state_dict(state["model"])
with torch.no_grad():
    final = {n: F.mse_loss(m(x_va).squeeze(-1), y_va).item() for n, m in [("last", model), ("ema", ema), ("swa", swa), ("epoch1", resumed)]}
print(f"{'weights':<8}{'val mse':>10}")
for n, v in sorted(final.items(), key=lambda kv: kv[1]):
    print(f"{n:<8}{v:>10.4f}")
print(swa.n_averaged, ema.n_averaged, state["epoch"])
