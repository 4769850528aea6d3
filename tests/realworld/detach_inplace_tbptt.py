torch.manual_seed(124)
rnn = nn.RNNCell(2, 3)
hidden = torch.zeros(1, 3)
seq = torch.randn(6, 1, 2)
opt = torch.optim.SGD(rnn.parameters(), lr=0.1)
for chunk in range(3):
    hidden.detach_()
    loss = 0
    for t in range(2):
        hidden = rnn(seq[chunk * 2 + t], hidden)
        loss = loss + hidden.pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(chunk, round(loss.item(), 5), hidden.requires_grad)
print(hidden)
last = hidden.detach_()
print(last is hidden, last.grad_fn, last.requires_grad)
