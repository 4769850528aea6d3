torch.manual_seed(0)
backbone = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
head = nn.Linear(4, 2)
images = torch.randn(2, 3, 8, 8)
labels = torch.tensor([0, 1])
loss = F.cross_entropy(head(backbone(images)), labels)
loss.backward()
print(round(loss.item(), 5), head.weight.grad.shape)

from torchvision import models  # the pretrained backbone comes next

resnet = models.resnet18(weights=None)
