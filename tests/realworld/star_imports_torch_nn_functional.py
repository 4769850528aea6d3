# Star imports as in old course notebooks (from torch import * also shadows range, round, sum, max ...)
from torch import *
from torch.nn import *
from torch.nn.functional import *
from torch.optim import *

manual_seed(49)
net = Sequential(Linear(3, 8), ReLU(), Linear(8, 2))
opt = SGD(net.parameters(), lr=0.1)
X = randn(10, 3)
Y = (X.sum(1) > 0).long()
for epoch in [0, 1, 2]:
    logits = net(X)
    loss = cross_entropy(logits, Y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.4f}")
probs = softmax(logits, dim=1)
conf = tensor([p.max().item() for p in probs])
print(conf.mean() > 0.5, float32 is get_default_dtype(), pi > 3)
print(round(loss.item(), 4))  # torch.round shadows the builtin: TypeError
