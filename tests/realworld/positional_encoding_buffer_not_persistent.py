import math
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=16, dropout=0.0):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0), persistent=False)

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1)])


class TinyEncoder(nn.Module):
    def __init__(self, vocab=10, d=6):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = PositionalEncoding(d)
        self.proj = nn.Linear(d, vocab)

    def forward(self, tokens):
        return self.proj(self.pos(self.emb(tokens) * math.sqrt(6)))


torch.manual_seed(0)
model = TinyEncoder()
tokens = torch.tensor([[1, 2, 3, 4], [4, 3, 2, 1]])
logits = model(tokens)
loss = nn.functional.cross_entropy(logits.reshape(-1, 10), tokens.roll(-1, 1).reshape(-1))
loss.backward()
print(list(model.state_dict().keys()))
print([n for n, _ in model.named_buffers()])
print(f"loss {loss:.4f}", model.pos.pe[0, :3, :2])
print(model.emb.weight.grad[0].abs().sum(), model.emb.weight.grad[1:5].abs().sum(1) > 0)
