torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.bn = nn.BatchNorm1d(4)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        return self.out(self.drop(F.relu(self.bn(self.fc(x)))))

net = Net()
x = torch.randn(6, 4)
net.train()
y_train = net(x)
print("train", y_train.squeeze())
print(net.bn.running_mean)
net.eval()
y_eval = net(x)
print("eval", y_eval.squeeze())
y_eval2 = net(x)
print(torch.equal(y_eval, y_eval2), net.training, net.drop.training)
net.train()
loss = (y_train ** 2).mean() + y_eval.mean()
loss.backward()
print(net.fc.weight.grad)
print(net.bn.num_batches_tracked)
