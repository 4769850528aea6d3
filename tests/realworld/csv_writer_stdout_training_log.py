import csv
import sys

torch.manual_seed(7)
X = torch.rand(40, 2) * 4 - 2
y = ((X ** 2).sum(1) < 1.5).float()
net = nn.Sequential(nn.Linear(2, 8), nn.ELU(), nn.Linear(8, 1))
opt = torch.optim.RMSprop(net.parameters(), lr=0.02, alpha=0.9, centered=True)

writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["epoch", "loss", "acc", "grad_norm"])
for epoch in range(6):
    logits = net(X).squeeze(1)
    loss = F.binary_cross_entropy_with_logits(logits, y, pos_weight=torch.tensor(2.0))
    opt.zero_grad()
    loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    opt.step()
    acc = ((logits > 0).float() == y).float().mean()
    writer.writerow([epoch, f"{loss.item():.4f}", f"{acc:.3f}", round(gn.item(), 4)])

dw = csv.DictWriter(sys.stdout, fieldnames=["name", "shape", "mean"], lineterminator="\n")
dw.writeheader()
for name, p in net.named_parameters():
    dw.writerow({"name": name, "shape": list(p.shape), "mean": f"{p.mean():+.4f}"})
