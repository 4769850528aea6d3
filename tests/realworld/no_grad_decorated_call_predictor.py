import torch
import torch.nn as nn


class Predictor:
    def __init__(self, model, threshold=0.5):
        self.model = model.eval()
        self.threshold = threshold

    @torch.no_grad()
    def __call__(self, x):
        probs = torch.sigmoid(self.model(x)).squeeze(-1)
        return probs, (probs > self.threshold).long()


torch.manual_seed(2)
model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
X = torch.tensor([[0.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
y = torch.tensor([0.0, 1.0, 1.0])
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for _ in range(5):
    model.train()
    opt.zero_grad()
    loss = nn.functional.binary_cross_entropy_with_logits(model(X).squeeze(-1), y)
    loss.backward()
    opt.step()
predict = Predictor(model)
probs, labels = predict(X)
print(probs, labels, probs.requires_grad, model.training)
print(loss, model[0].weight.grad)
