from torch.optim.swa_utils import AveragedModel, SWALR, update_bn

torch.manual_seed(3)
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
swa_model = AveragedModel(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
swa_scheduler = SWALR(optimizer, swa_lr=0.05, anneal_epochs=2)
X = torch.randn(8, 3)
Y = X.sum(dim=1, keepdim=True)
for epoch in range(4):
    optimizer.zero_grad()
    loss = F.mse_loss(model(X), Y)
    loss.backward()
    optimizer.step()
    if epoch >= 1:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    print(epoch, f"{loss.item():.4f}", swa_scheduler.get_last_lr())
loader = [(X[:4],), (X[4:],)]
update_bn(loader, swa_model)
print(swa_model.n_averaged)
pred = swa_model(X)
print(pred.shape, pred.grad_fn is not None)
