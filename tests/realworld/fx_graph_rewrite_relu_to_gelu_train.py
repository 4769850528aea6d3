import torch.fx


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 5)
        self.fc2 = nn.Linear(5, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


torch.manual_seed(0)
model = MLP()
gm = torch.fx.symbolic_trace(model)
for node in gm.graph.nodes:
    if node.op == "call_function" and node.target is torch.relu:
        node.target = F.gelu
gm.graph.lint()
gm.recompile()
print(gm.code.strip())
opt = torch.optim.SGD(gm.parameters(), lr=0.5)
x = torch.randn(6, 3)
target = torch.randint(0, 2, (6,))
for epoch in range(2):
    opt.zero_grad()
    logits = gm(x)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    opt.step()
    print(epoch, round(loss.item(), 4))
print(gm.fc1.weight.grad.shape, model.fc1.weight is gm.fc1.weight)
