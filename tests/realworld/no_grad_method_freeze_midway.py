class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(3, 3)
        self.head = nn.Linear(3, 1)

    def forward(self, x):
        return self.head(torch.relu(self.body(x)))

    @torch.no_grad()
    def predict(self, x):
        return self(x).sigmoid()


torch.manual_seed(19)
net = Net()
x = torch.randn(4, 3)
p = net.predict(x)
first = net(x).mean()
first.backward()
body_grad = net.body.weight.grad.clone()
net.body.requires_grad_(False)
net.zero_grad()
second = net(x).pow(2).mean()
second.backward()
print(p.requires_grad, p.grad_fn)
print(net.body.weight.grad, net.head.weight.grad)
print(body_grad)
