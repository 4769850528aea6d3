import torch
import torch.nn.functional as F

config = {"epochs": 30, "batch_size": 8, "lr": 0.1}
torch.manual_seed(0)
X = torch.randn(40, 5)
Y = torch.randint(0, 3, (40,))
W = torch.zeros(5, 3, requires_grad=True)
for epoch in range(config["epochs"]):
    for i in range(0, X.size(0), config["batch_size"]):
        xb, yb = X[i:i + config["batch_size"]], Y[i:i + config["batch_size"]]
        logits = xb @ W
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        with torch.no_grad():
            W -= config["lr"] * W.grad
            W.grad.zero_()
print(logits.shape, loss)
