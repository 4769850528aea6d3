from torch.optim.swa_utils import AveragedModel, SWALR, update_bn

torch.manual_seed(0)
data = [(torch.randn(8, 3), torch.randn(8, 1)) for _ in range(3)]
model = nn.Sequential(nn.Linear(3, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 1))
swa_model = AveragedModel(model)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
swa_scheduler = SWALR(opt, swa_lr=0.05, anneal_epochs=2, anneal_strategy="linear")
swa_start = 2

for epoch in range(5):
    for xb, yb in data:
        opt.zero_grad()
        loss = F.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
    if epoch >= swa_start:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()
    print(f"epoch {epoch} lr {opt.param_groups[0]['lr']:.4f} loss {loss.item():.4f} n_averaged {swa_model.n_averaged.item()}")

loader = [xb for xb, _ in data]
update_bn(loader, swa_model)
print(swa_model.module[1].running_mean)
swa_model.eval()
test_x = torch.randn(4, 3, requires_grad=True)
out = swa_model(test_x).sum()
out.backward()
print(test_x.grad)
print([n for n, _ in swa_model.named_parameters()][:3])
