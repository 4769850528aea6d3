torch.manual_seed(0)
model = nn.Linear(2, 1)
optimizers = {p: torch.optim.SGD([p], lr=0.1) for p in model.parameters()}
def optimizer_hook(parameter):
    optimizers[parameter].step()
    optimizers[parameter].zero_grad()
for p in model.parameters():
    p.register_post_accumulate_grad_hook(optimizer_hook)
data = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
for _ in range(2):
    loss = model(data).pow(2).sum()
    loss.backward()
print(model.weight, model.bias)
