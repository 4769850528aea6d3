import torch
import torch.nn as nn

torch.manual_seed(0)
rnn = nn.RNN(3, 5, batch_first=True)
head = nn.Linear(5, 1)
opt = torch.optim.SGD(list(rnn.parameters()) + list(head.parameters()), lr=0.01)
h = torch.zeros(1, 2, 5)
data = torch.randn(2, 12, 3)
for chunk in range(3):
    xb = data[:, chunk * 4:(chunk + 1) * 4]
    out, h = rnn(xb, h)
    loss = head(out).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"chunk {chunk} loss {loss.item():.4f}")
