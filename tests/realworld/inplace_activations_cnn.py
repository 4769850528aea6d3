torch.manual_seed(24)
features = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1),
    nn.BatchNorm2d(4),
    nn.ReLU(inplace=True),
    nn.Conv2d(4, 4, 3, padding=1),
    nn.LeakyReLU(0.1, inplace=True),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
)
classifier = nn.Sequential(nn.Dropout(0.5, inplace=True), nn.Linear(4, 3))
images = torch.randn(2, 1, 5, 5)
logits = classifier(features(images))
hidden = F.elu(logits.clone(), alpha=0.5, inplace=True)
loss = F.cross_entropy(logits, torch.tensor([0, 2])) + hidden.sum()
loss.backward()
print(logits)
print(features[0].bias.grad, classifier[1].bias.grad)
