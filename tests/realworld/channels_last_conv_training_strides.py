torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
    nn.Conv2d(8, 4, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2),
)
model = model.to(memory_format=torch.channels_last)
images = torch.randn(4, 3, 8, 8).to(memory_format=torch.channels_last)
labels = torch.tensor([0, 1, 1, 0])
print(images.is_contiguous(), images.is_contiguous(memory_format=torch.channels_last), images.stride())
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(3):
    logits = model(images)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 5))
w = model[0].weight
print(w.is_contiguous(memory_format=torch.channels_last), w.grad.stride(), w.grad.is_contiguous(memory_format=torch.channels_last))
feat = model[:3](images)
print(feat.stride(), feat.is_contiguous(memory_format=torch.channels_last))
