torch.manual_seed(154)
model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Dropout(0.0), nn.Linear(6, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
loaders = {
    "train": [(torch.randn(5, 4), torch.randint(0, 3, (5,))) for _ in range(2)],
    "val": [(torch.randn(5, 4), torch.randint(0, 3, (5,)))],
}
for epoch in range(2):
    for phase in ("train", "val"):
        model.train() if phase == "train" else model.eval()
        running, correct = 0.0, 0
        for inputs, labels in loaders[phase]:
            opt.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                outputs = model(inputs)
                _, preds = torch.max(outputs, 1)
                loss = F.cross_entropy(outputs, labels)
                if phase == "train":
                    loss.backward()
                    opt.step()
            running += loss.item() * inputs.size(0)
            correct += torch.sum(preds == labels.data)
        print(epoch, phase, f"{running / 5:.4f}", correct.double() / 5, outputs.requires_grad)
print(model[3].bias.grad)
