#!/usr/bin/env python
"""Regression trainer: argparse defaults, a dataclass config, logging to stdout, type hints."""
from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

import torch
from torch import Tensor, nn

logger = logging.getLogger("trainer")


@dataclass
class TrainConfig:
    lr: float = 0.05
    epochs: int = 4
    hidden_sizes: List[int] = field(default_factory=lambda: [8, 4])
    weight_decay: float = 0.0
    seed: int = 42
    log_every: int = 2
    checkpoint: Optional[str] = None


def parse_args(argv: Optional[List[str]] = None) -> TrainConfig:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--hidden-sizes", type=int, nargs="+", default=[8, 4])
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    return TrainConfig(
        lr=args.lr, epochs=args.epochs, hidden_sizes=args.hidden_sizes, weight_decay=args.weight_decay, seed=args.seed
    )


def build_model(in_dim: int, hidden_sizes: List[int]) -> nn.Module:
    layers: List[nn.Module] = []
    prev = in_dim
    for h in hidden_sizes:
        layers += [nn.Linear(prev, h), nn.ReLU()]
        prev = h
    layers.append(nn.Linear(prev, 1))
    return nn.Sequential(*layers)


def make_data(n: int, generator: torch.Generator) -> tuple[Tensor, Tensor]:
    x = torch.rand(n, 3, generator=generator) * 4 - 2
    y = torch.sin(x[:, :1]) + 0.5 * x[:, 1:2] ** 2 - x[:, 2:3]
    return x, y


def run(cfg: TrainConfig) -> Dict[str, float]:
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    x, y = make_data(32, gen)
    model = build_model(3, cfg.hidden_sizes)
    logger.info("model has %d parameters", sum(p.numel() for p in model.parameters()))
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    loss_fn: nn.Module = nn.SmoothL1Loss(beta=0.5)
    metrics: Dict[str, float] = {}
    t0 = time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        pred: Tensor = model(x)
        loss: Tensor = loss_fn(pred, y)
        opt.zero_grad()
        loss.backward()
        grad_norm = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
        opt.step()
        if epoch % cfg.log_every == 0:
            logger.info("epoch %d/%d loss=%.4f grad_norm=%.4f", epoch, cfg.epochs, loss.item(), grad_norm)
        metrics[f"loss_{epoch}"] = round(loss.item(), 4)
    elapsed = time.perf_counter() - t0
    logger.debug("took %.3fs", elapsed)
    if elapsed < 0:
        logger.warning("clock went backwards")
    global trained_model
    trained_model = model
    return metrics


def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(
        stream=sys.stdout, level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s", force=True
    )
    cfg = parse_args(argv)
    logger.info("config: %s", asdict(cfg))
    metrics = run(cfg)
    for k, v in metrics.items():
        print(f"{k:>8s} = {v:.4f}")
    return 0


if __name__ == "__main__":
    status = main([])
    print("exit status", status)
    final_weight = trained_model[-1].weight
    logging.shutdown()
