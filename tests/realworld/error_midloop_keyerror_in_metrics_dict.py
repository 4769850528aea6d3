# An error raised mid-epoch by plain Python, not torch: a metrics dict indexed with a key added only for the
# validation phase. Two training steps ran, the gradients of the last one stay on the parameters.
torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
metrics = {"train_loss": []}
data = [(torch.randn(4, 2), torch.randn(4, 1)) for _ in range(3)]
for epoch in range(2):
    for phase in ["train", "val"]:
        for xb, yb in data[:2]:
            out = model(xb)
            loss = F.mse_loss(out, yb)
            if phase == "train":
                opt.zero_grad()
                loss.backward()
                opt.step()
            metrics[f"{phase}_loss"].append(
                loss.item()
            )
        print(phase, metrics)
