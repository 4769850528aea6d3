torch.manual_seed(75)
model = nn.Linear(1, 1)
meta_opt = torch.optim.Adam(model.parameters(), lr=0.01)
inner_lr = 0.1


def task_batch(a):
    xs = torch.linspace(-1, 1, 8).unsqueeze(1)
    return xs, a * xs + 0.3


for meta_step in range(2):
    meta_opt.zero_grad()
    meta_loss = 0.0
    for a in (1.0, -2.0):
        xs, ys = task_batch(a)
        fast = [p for p in model.parameters()]
        for _ in range(2):
            pred = F.linear(xs, fast[0], fast[1])
            inner_loss = F.mse_loss(pred, ys)
            grads = torch.autograd.grad(inner_loss, fast, create_graph=True)
            fast = [p - inner_lr * g for p, g in zip(fast, grads)]
        query_loss = F.mse_loss(F.linear(xs, fast[0], fast[1]), ys)
        meta_loss = meta_loss + query_loss
    meta_loss.backward()
    meta_opt.step()
    print(meta_step, round(meta_loss.item(), 5))

print(model.weight.grad, model.bias.grad)
adapted_w, adapted_b = fast
print(adapted_w)
