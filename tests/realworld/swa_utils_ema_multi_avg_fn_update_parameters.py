# AveragedModel with get_ema_multi_avg_fn: update_parameters() lerps each parameter's .detach() under no_grad (its notes
# said ema.module.weight, a leaf that requires grad, was made inside update_parameters() with no graph).
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

torch.manual_seed(30)
model = nn.Linear(3, 1)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.9))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(3):
    loss = model(torch.randn(4, 3)).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    ema.update_parameters(model)
print(ema.n_averaged)
print(ema.module.weight)
print(model.weight)
pred = ema(torch.ones(1, 3))
print(pred)
