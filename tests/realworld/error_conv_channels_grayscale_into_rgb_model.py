# The forum classic: a CNN built for RGB images fed a grayscale MNIST-style batch
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


torch.manual_seed(63)
model = SmallCNN()
rgb = torch.randn(2, 3, 28, 28)
print(model(rgb).shape)
gray = torch.randn(4, 1, 28, 28)
logits = model(gray)
loss = nn.functional.cross_entropy(logits, torch.tensor([1, 2, 3, 4]))
