import os
import pickle
import tempfile

import numpy as np

torch.manual_seed(175)
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
x = torch.randn(5, 2)
loss = net(x).pow(2).mean()
loss.backward()
opt.step()
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "ckpt", "epoch1.pt")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "loss": loss.detach()}, path)
    np.save(os.path.join(tmp, "x.npy"), x.numpy())
    with open(os.path.join(tmp, "meta.pkl"), "wb") as f:
        pickle.dump({"epoch": 1}, f)
    ckpt = torch.load(path)
    x_back = torch.from_numpy(np.load(os.path.join(tmp, "x.npy")))
    with open(os.path.join(tmp, "meta.pkl"), "rb") as f:
        meta = pickle.load(f)
    with open(os.path.join(tmp, "log.txt"), "w") as f:
        f.write(f"{loss.item():.5f}\n")
    with open(os.path.join(tmp, "log.txt")) as f:
        print(sorted(os.listdir(tmp)), meta, f.read().strip())
net2 = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
net2.load_state_dict(ckpt["model"])
print(torch.equal(net2(x_back), net(x)), ckpt["loss"])
