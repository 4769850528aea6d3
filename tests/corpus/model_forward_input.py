torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.fc2 = nn.Linear(3, 1)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.fc2(h)

model = Net()
input = torch.randn(2, 4, requires_grad=True)
output = model(input)
target = torch.tensor([[1.0], [0.0]])
loss = F.mse_loss(output, target)
loss.backward()
print(loss.item())
