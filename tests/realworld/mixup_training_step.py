import numpy as np

torch.manual_seed(14)
np.random.seed(14)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
x = torch.randn(6, 4)
y = torch.tensor([0, 1, 2, 0, 1, 2])


def mixup_data(x, y, alpha=0.4):
    lam = float(np.random.beta(alpha, alpha))
    index = torch.randperm(x.size(0))
    mixed_x = lam * x + (1 - lam) * x[index, :]
    return mixed_x, y, y[index], lam


def mixup_criterion(criterion, pred, y_a, y_b, lam):
    return lam * criterion(pred, y_a) + (1 - lam) * criterion(pred, y_b)


for step in range(3):
    inputs, targets_a, targets_b, lam = mixup_data(x, y)
    outputs = model(inputs)
    loss = mixup_criterion(nn.CrossEntropyLoss(), outputs, targets_a, targets_b, lam)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} lam={lam:.3f} loss={loss.item():.4f}")
print(targets_b)
