import torch
import torch.nn as nn
import torch.nn.functional as F

class Attn(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.W = nn.Linear(2 * h, h)
        self.v = nn.Linear(h, 1, bias=False)

    def forward(self, hidden, enc):
        rep = hidden.unsqueeze(1).expand(-1, enc.size(1), -1)
        energy = torch.tanh(self.W(torch.cat([rep, enc], dim=2)))
        return F.softmax(self.v(energy).squeeze(2), dim=1)

torch.manual_seed(31)
H = 4
encoder = nn.GRU(3, H, batch_first=True)
attn = Attn(H)
cell = nn.GRUCell(H + 1, H)
out_proj = nn.Linear(H, 1)
src = torch.randn(2, 5, 3)
tgt = torch.randn(2, 3)
enc_out, h = encoder(src)
hidden = h.squeeze(0)
prev = torch.zeros(2, 1)
loss = 0
for t in range(3):
    a = attn(hidden, enc_out)
    ctx = torch.bmm(a.unsqueeze(1), enc_out).squeeze(1)
    hidden = cell(torch.cat([ctx, prev], dim=1), hidden)
    pred = out_proj(hidden)
    loss = loss + F.mse_loss(pred.squeeze(1), tgt[:, t])
    prev = tgt[:, t:t + 1]
loss.backward()
print(a)
print(loss, cell.weight_hh.grad.norm())
