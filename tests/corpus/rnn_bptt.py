torch.manual_seed(0)
cell = nn.RNNCell(2, 3)
readout = nn.Linear(3, 1)
params = list(cell.parameters()) + list(readout.parameters())
opt = torch.optim.SGD(params, lr=0.05)
sequence = torch.randn(6, 1, 2)
hidden = torch.zeros(1, 3)
for start in range(0, 6, 3):
    hidden = hidden.detach()
    opt.zero_grad()
    loss = 0
    for t in range(start, start + 3):
        hidden = cell(sequence[t], hidden)
        loss = loss + readout(hidden).pow(2).sum()
    loss.backward()
    opt.step()
print(hidden)
