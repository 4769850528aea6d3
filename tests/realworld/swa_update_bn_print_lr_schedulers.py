# SWA at the end of training: AveragedModel, SWALR annealing, torch.optim.swa_utils.update_bn over a loader to
# recompute BatchNorm statistics for the averaged weights; the learning rates read with get_last_lr each epoch.
from torch.optim.swa_utils import SWALR, AveragedModel, update_bn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
data = TensorDataset(torch.randn(12, 3), torch.randn(12, 1))
loader = DataLoader(data, batch_size=4)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
swa_model = AveragedModel(model)
swa_scheduler = SWALR(opt, swa_lr=0.05, anneal_epochs=2, anneal_strategy="linear")
for epoch in range(3):
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
    swa_model.update_parameters(model)
    swa_scheduler.step()
    print(epoch, [round(lr, 4) for lr in swa_scheduler.get_last_lr()], int(swa_model.n_averaged))
print("before update_bn:", swa_model.module[1].running_mean)
update_bn(loader, swa_model)
print("after update_bn:", swa_model.module[1].running_mean)
swa_model.eval()
x = torch.randn(2, 3)
pred = swa_model(x)
pred.sum().backward()
print(pred.detach(), swa_model.module[0].weight.grad)
