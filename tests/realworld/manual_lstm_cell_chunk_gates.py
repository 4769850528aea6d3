import torch
import torch.nn as nn


class MyLSTMCell(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.W = nn.Linear(input_size + hidden_size, 4 * hidden_size)

    def forward(self, x, state):
        h, c = state
        gates = self.W(torch.cat([x, h], dim=1))
        i, f, g, o = gates.chunk(4, dim=1)
        i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
        g = torch.tanh(g)
        c = f * c + i * g
        h = o * torch.tanh(c)
        return h, c


if __name__ == "__main__":
    torch.manual_seed(123)
    cell = MyLSTMCell(3, 4)
    seq = torch.randn(5, 2, 3)  # (time, batch, features)
    h = torch.zeros(2, 4)
    c = torch.zeros(2, 4)
    outputs = []
    for x_t in seq.unbind(0):
        h, c = cell(x_t, (h, c))
        outputs.append(h)
    out = torch.stack(outputs)
    loss = out[-1].pow(2).sum() + 0.1 * out.abs().mean()
    loss.backward()
    print("out:", out.shape)
    print("h:", h)
    print("grad W:", cell.W.weight.grad.norm().item())
    ref = nn.LSTMCell(3, 4)
    print(sum(p.numel() for p in cell.parameters()), sum(p.numel() for p in ref.parameters()))
