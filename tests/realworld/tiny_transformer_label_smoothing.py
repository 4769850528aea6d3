import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
PAD, BOS, EOS = 0, 1, 2
VOCAB = 10
D_MODEL = 16


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=32):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, D_MODEL, padding_idx=PAD)
        self.pos = PositionalEncoding(D_MODEL)
        layer = nn.TransformerEncoderLayer(
            D_MODEL, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True, norm_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.out = nn.Linear(D_MODEL, VOCAB)

    def forward(self, tokens):
        T = tokens.size(1)
        causal = torch.triu(torch.full((T, T), float("-inf")), diagonal=1)
        padding = tokens == PAD
        h = self.pos(self.embed(tokens) * math.sqrt(D_MODEL))
        h = self.encoder(h, mask=causal, src_key_padding_mask=padding)
        return self.out(h)


def make_batch(n=4, max_len=7):
    seqs = []
    for _ in range(n):
        L = int(torch.randint(2, max_len - 1, ()).item())
        body = torch.randint(3, VOCAB, (L,))
        seq = torch.cat([torch.tensor([BOS]), body, torch.tensor([EOS])])
        seqs.append(seq)
    batch = nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=PAD)
    return batch[:, :-1], batch[:, 1:]


model = TinyLM()
criterion = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.01)
warmup = 3
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda step: min((step + 1) / warmup, (warmup / (step + 1)) ** 0.5)
)

for step in range(6):
    src, tgt = make_batch()
    logits = model(src)
    loss = criterion(logits.reshape(-1, VOCAB), tgt.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    gnorm = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    optimizer.step()
    scheduler.step()
    n_tokens = (tgt != PAD).sum().item()
    print(f"step {step} loss {loss.item():.4f} tokens {n_tokens} gnorm {gnorm:.3f} lr {scheduler.get_last_lr()[0]:.2e}")

model.eval()
with torch.no_grad():
    seq = torch.tensor([[BOS, 5]])
    for _ in range(4):
        nxt = model(seq)[:, -1].argmax(-1, keepdim=True)
        seq = torch.cat([seq, nxt], dim=1)
print("greedy:", seq.tolist())
attn_weights = model.encoder.layers[0].self_attn(
    model.pos(model.embed(src)), model.pos(model.embed(src)), model.pos(model.embed(src)), need_weights=True
)[1]
print(attn_weights.shape)
