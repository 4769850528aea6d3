import statistics

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset, TensorDataset

torch.manual_seed(8)
N, K = 30, 3
X = torch.randn(N, 4)
w_true = torch.tensor([1.5, -2.0, 0.5, 0.0])
y = (X @ w_true + 0.3 * torch.randn(N) > 0).long()
dataset = TensorDataset(X, y)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc2(F.leaky_relu(self.fc1(x), 0.1))


def reset_weights(m):
    for layer in m.children():
        if hasattr(layer, "reset_parameters"):
            print(f"Reset trainable parameters of layer = {layer}")
            layer.reset_parameters()


def kfold_indices(n, k, generator):
    perm = torch.randperm(n, generator=generator).tolist()
    fold_size = n // k
    for i in range(k):
        val = perm[i * fold_size : (i + 1) * fold_size]
        train = perm[: i * fold_size] + perm[(i + 1) * fold_size :]
        yield i, train, val


results = {}
g = torch.Generator().manual_seed(9)
network = Net()
for fold, train_ids, val_ids in kfold_indices(N, K, g):
    print(f"FOLD {fold}")
    print("--------------------------------")
    train_loader = DataLoader(Subset(dataset, train_ids), batch_size=5, shuffle=True)
    val_loader = DataLoader(Subset(dataset, val_ids), batch_size=10)
    network.apply(reset_weights) if fold == 0 else reset_weights(network)
    optimizer = torch.optim.SGD(network.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    loss_function = nn.CrossEntropyLoss()
    for epoch in range(3):
        current_loss = 0.0
        for i, (inputs, targets) in enumerate(train_loader):
            optimizer.zero_grad()
            outputs = network(inputs)
            loss = loss_function(outputs, targets)
            loss.backward()
            optimizer.step()
            current_loss += loss.item()
        print("Loss after epoch %d: %.3f" % (epoch + 1, current_loss / len(train_loader)))
    correct, total = 0, 0
    with torch.no_grad():
        for inputs, targets in val_loader:
            predicted = network(inputs).argmax(1)
            total += targets.size(0)
            correct += (predicted == targets).sum().item()
    results[fold] = 100.0 * correct / total
    print("Accuracy for fold %d: %d %%" % (fold, results[fold]))

print(f"K-FOLD CROSS VALIDATION RESULTS FOR {K} FOLDS")
for key, value in results.items():
    print(f"Fold {key}: {value:.1f} %")
print(f"Average: {sum(results.values()) / len(results):.2f} % (std {statistics.pstdev(results.values()):.2f})")

# fresh model per fold instead of resetting, keep the best one
best_acc, best_model = -1.0, None
fold_models = []
for fold, train_ids, val_ids in kfold_indices(N, K, torch.Generator().manual_seed(10)):
    torch.manual_seed(100 + fold)
    m = Net()
    opt = torch.optim.Adam(m.parameters(), lr=0.05)
    xt, yt = X[train_ids], y[train_ids]
    for _ in range(5):
        opt.zero_grad()
        F.cross_entropy(m(xt), yt).backward()
        opt.step()
    acc = (m(X[val_ids]).argmax(1) == y[val_ids]).float().mean().item()
    fold_models.append(m)
    if acc > best_acc:
        best_acc, best_model = acc, m
print("best fold acc", round(best_acc, 3), best_model is fold_models[0] or best_model is not None)
