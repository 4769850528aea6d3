torch.manual_seed(32)
model = nn.Linear(3, 2)
lr = 0.5
order = []


def step_now(p):
    order.append(tuple(p.shape))
    with torch.no_grad():
        p.add_(p.grad, alpha=-lr)
    p.grad = None


for p in model.parameters():
    p.register_post_accumulate_grad_hook(step_now)
x = torch.randn(4, 3)
before = model.weight.detach().clone()
loss = model(x).pow(2).sum()
loss.backward()
print(order)
print(model.weight.grad, model.bias.grad)
print((model.weight - before).abs().sum() > 0)
print(model.weight)
