# A complete text-classification script: vocabulary from raw strings, padding collate_fn, packed GRU + attention
# pooling, label smoothing, OneCycleLR, gradient accumulation, EMA weights, early stopping and a JSON report
import argparse
import copy
import json
import random
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.utils.data import DataLoader, Dataset

TEXTS = [
    ("the movie was great and fun", 1), ("terrible plot and bad acting", 0), ("great acting", 1),
    ("boring and bad", 0), ("fun fun fun", 1), ("bad bad movie", 0), ("a great great film", 1),
    ("the worst film", 0), ("i loved the acting", 1), ("plot was boring", 0),
]


@dataclass
class Config:
    emb: int = 8
    hidden: int = 6
    lr: float = 0.05
    epochs: int = 3
    batch_size: int = 4
    accum: int = 2
    smoothing: float = 0.1
    ema: float = 0.9
    patience: int = 2


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class TextDataset(Dataset):
    def __init__(self, pairs, vocab):
        self.items = [(torch.tensor([vocab.get(w, 1) for w in t.split()]), y) for t, y in pairs]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    padded = nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=0)
    return padded, lengths, torch.tensor(labels)


class AttnGRU(nn.Module):
    def __init__(self, vocab_size, cfg):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, cfg.emb, padding_idx=0)
        self.gru = nn.GRU(cfg.emb, cfg.hidden, batch_first=True, bidirectional=True)
        self.att = nn.Linear(2 * cfg.hidden, 1)
        self.out = nn.Linear(2 * cfg.hidden, 2)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(self.emb(x), lengths, batch_first=True, enforce_sorted=False)
        h, _ = pad_packed_sequence(self.gru(packed)[0], batch_first=True, total_length=x.size(1))
        scores = self.att(h).squeeze(-1).masked_fill(x == 0, float("-inf"))
        weights = torch.softmax(scores, dim=1)
        return self.out((weights.unsqueeze(-1) * h).sum(1)), weights


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    args = parser.parse_args(argv)
    cfg = Config(epochs=args.epochs)
    seed_everything(52)
    counts = Counter(w for t, _ in TEXTS for w in t.split())
    vocab = {w: i + 2 for i, (w, _) in enumerate(counts.most_common())}
    random.shuffle(TEXTS)
    train, val = TEXTS[:8], TEXTS[8:]
    train_dl = DataLoader(TextDataset(train, vocab), batch_size=cfg.batch_size, shuffle=True, collate_fn=collate)
    val_dl = DataLoader(TextDataset(val, vocab), batch_size=2, collate_fn=collate)
    model = AttnGRU(len(vocab) + 2, cfg)
    ema_model = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=cfg.epochs * len(train_dl) // cfg.accum + 1)
    best, bad_epochs, history = float("inf"), 0, []
    for epoch in range(cfg.epochs):
        model.train()
        for step, (x, lengths, y) in enumerate(train_dl):
            logits, _ = model(x, lengths)
            loss = F.cross_entropy(logits, y, label_smoothing=cfg.smoothing) / cfg.accum
            loss.backward()
            if (step + 1) % cfg.accum == 0:
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                opt.zero_grad(set_to_none=True)
                with torch.no_grad():
                    for pe, pm in zip(ema_model.parameters(), model.parameters()):
                        pe.mul_(cfg.ema).add_(pm, alpha=1 - cfg.ema)
        ema_model.eval()
        with torch.no_grad():
            val_loss = sum(F.cross_entropy(ema_model(x, l)[0], y, reduction="sum").item() for x, l, y in val_dl) / len(val)
        history.append(round(val_loss, 4))
        if val_loss < best - 1e-4:
            best, bad_epochs = val_loss, 0
        else:
            bad_epochs += 1
            if bad_epochs >= cfg.patience:
                break
    report = {"config": asdict(cfg), "val_loss": history, "lr": round(sched.get_last_lr()[0], 6)}
    print(json.dumps(report, indent=1, sort_keys=True))
    return model, ema_model, logits, loss


if __name__ == "__main__":
    model, ema_model, logits, loss = main([])
    x, lengths, y = next(iter(DataLoader(TextDataset(TEXTS[:3], {}), batch_size=3, collate_fn=collate)))
    _, attention = ema_model(x, lengths)
    print(attention)
