import os
import tempfile

torch.manual_seed(120)
model = nn.Linear(3, 2)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
x = torch.randn(4, 3)
loss = model(x).pow(2).mean()
loss.backward()
opt.step()
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "ckpt.pt")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 1}, path)
    print(os.path.exists(path))
    ckpt = torch.load(path)
restored = nn.Linear(3, 2)
restored.load_state_dict(ckpt["model"])
print(ckpt["epoch"], torch.equal(restored.weight, model.weight))
print(ckpt["opt"]["state"][0]["exp_avg"])
torch.save(model.state_dict(), "model_weights.pt")
sd = torch.load("model_weights.pt", weights_only=True)
os.remove("model_weights.pt")
print(sorted(sd))
