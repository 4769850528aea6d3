import torch
import torch.nn as nn

torch.manual_seed(29)
net = nn.Sequential(
    nn.Conv1d(2, 4, kernel_size=3, padding=1),
    nn.BatchNorm1d(4),
    nn.ReLU(),
    nn.Dropout(p=0.5),
    nn.Conv1d(4, 1, kernel_size=1),
)
signal = torch.randn(3, 2, 7)
net.train()
torch.manual_seed(100)
out_train = net(signal)
loss = out_train.pow(2).mean()
loss.backward()
print(out_train[0])
print(net[1].running_mean)
net.eval()
with torch.no_grad():
    out_eval = net(signal)
print(out_eval[0])
print(net[0].weight.grad.sum())
