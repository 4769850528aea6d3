import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(3, 4, batch_first=True)
        self.head = nn.Linear(4, 2)
        self.last_hidden = None

    def forward(self, x):
        out, (h, c) = self.rnn(x)
        self.last_hidden = h[-1]
        return self.head(out[:, -1]), out


torch.manual_seed(4)
enc = Encoder()
seq = torch.randn(2, 5, 3)
logits, states = enc(seq)
out, (h, c) = enc.rnn(seq)
*earlier, last_step = states.unbind(1)
first, *_ = earlier
loss = nn.functional.cross_entropy(logits, torch.tensor([0, 1]))
loss += 0.01 * sum(p.pow(2).sum() for p in enc.parameters())
loss.backward()
grads = {name: p.grad for name, p in enc.named_parameters() if "bias" in name}
snap = [p.detach().clone() for p in enc.head.parameters()]
for i, (name, p) in enumerate(enc.named_parameters()):
    if i == 2:
        break
print(name, p.shape, len(earlier), first.shape, last_step.shape)
print(enc.last_hidden)
print({k: tuple(v.shape) for k, v in grads.items()})
print(h.shape, c.shape, torch.allclose(out, states))
