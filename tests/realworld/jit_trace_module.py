torch.manual_seed(28)

class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        return torch.tanh(self.fc(x)) * 2

net = Small()
example = torch.randn(4, 3)
traced = torch.jit.trace(net, example)
x = torch.randn(4, 3, requires_grad=True)
out = traced(x)
loss = out.pow(2).sum()
loss.backward()
print(type(traced).__name__, out.shape)
print(torch.allclose(traced(example), net(example)), net.fc.weight.grad.shape)
