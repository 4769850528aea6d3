# Evaluation as often written in tutorials, without torch.no_grad(): each batch builds a graph nobody runs
# backward through; `torch.max(outputs.data, 1)` for the predictions.
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(4 * 7 * 7, 10),
)
model.eval()
correct = 0
total = 0
for i in range(12):
    images = torch.randn(16, 1, 14, 14)
    labels = torch.randint(0, 10, (16,))
    outputs = model(images)
    _, predicted = torch.max(outputs.data, 1)
    total += labels.size(0)
    correct += (predicted == labels).sum().item()
print(f"Accuracy of the network on the {total} test images: {100 * correct / total:.1f} %")
