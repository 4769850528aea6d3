import torch
import torch.nn as nn

class TwoLayerNet(nn.Module):
    def __init__(self, D_in, H, D_out):
        super(TwoLayerNet, self).__init__()
        self.linear1 = nn.Linear(D_in, H)
        self.linear2 = nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        y_pred = self.linear2(h_relu)
        return y_pred

N, D_in, H, D_out = 4, 5, 3, 2
torch.manual_seed(1)
inputs = torch.randn(N, D_in)
labels = torch.randn(N, D_out)
model = TwoLayerNet(D_in, H, D_out)
criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
for t in range(2):
    outputs = model(inputs)
    loss = criterion(outputs, labels)
    print(t, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
x = model.linear1.weight
print(x.grad)
