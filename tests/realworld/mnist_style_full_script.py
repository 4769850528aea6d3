"""MNIST-style training on synthetic 8x8 "digits": Dataset, DataLoader, model class, train/eval, scheduler,
early stopping, main()."""
import copy
import math
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset, random_split


class SyntheticDigits(Dataset):
    def __init__(self, n: int, num_classes: int = 4, seed: int = 0):
        g = torch.Generator().manual_seed(seed)
        self.labels = torch.randint(0, num_classes, (n,), generator=g)
        protos = torch.randn(num_classes, 1, 8, 8, generator=g)
        noise = 0.5 * torch.randn(n, 1, 8, 8, generator=g)
        self.images = protos[self.labels] + noise

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx: int) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.images[idx], self.labels[idx]


class SmallCNN(nn.Module):
    def __init__(self, num_classes: int = 4):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3, padding=1)
        self.dropout = nn.Dropout(0.25)
        self.fc = nn.Linear(8 * 2 * 2, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = self.dropout(x)
        return F.log_softmax(self.fc(x), dim=1)


def train(model, loader, optimizer, epoch, log_interval=2):
    model.train()
    for batch_idx, (data, target) in enumerate(loader):
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % log_interval == 0:
            print(
                "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                    epoch, batch_idx * len(data), len(loader.dataset), 100.0 * batch_idx / len(loader), loss.item()
                )
            )
    return loss


def evaluate(model, loader):
    model.eval()
    test_loss, correct = 0.0, 0
    with torch.no_grad():
        for data, target in loader:
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(loader.dataset)
    acc = 100.0 * correct / len(loader.dataset)
    print(f"Test set: Average loss: {test_loss:.4f}, Accuracy: {correct}/{len(loader.dataset)} ({acc:.0f}%)")
    return test_loss, acc


def main():
    torch.manual_seed(1)
    full = SyntheticDigits(48, seed=3)
    train_set, val_set = random_split(full, [32, 16], generator=torch.Generator().manual_seed(4))
    train_loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=0)
    val_loader = DataLoader(val_set, batch_size=16, shuffle=False, num_workers=0)
    model = SmallCNN()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    best_loss, best_state, patience, bad_epochs = math.inf, None, 2, 0
    for epoch in range(1, 6):
        last = train(model, train_loader, optimizer, epoch)
        val_loss, acc = evaluate(model, val_loader)
        scheduler.step()
        if val_loss < best_loss - 1e-4:
            best_loss, bad_epochs = val_loss, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                print(f"Early stopping at epoch {epoch}")
                break
    model.load_state_dict(best_state)
    print("best val loss", round(best_loss, 4), "lr now", scheduler.get_last_lr())
    return model, last


if __name__ == "__main__":
    model, last_loss = main()
    sample = torch.zeros(1, 1, 8, 8)
    model.eval()
    probs = model(sample).exp()
    print(probs.sum().item() > 0.999)
