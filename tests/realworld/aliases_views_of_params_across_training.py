# Names that keep pointing into a model while it trains: views, .data, numpy, grads lists.
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 2)
first_row = model.weight[0]  # a view made with grad on
bias_data = model.bias.data  # shares storage, no grad
w_np = model.weight.detach().numpy()  # shares storage too
params = list(model.parameters())
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
x, y = torch.randn(5, 3), torch.randn(5, 2)

loss = ((model(x) - y) ** 2).mean()
loss.backward()
grads_first = [p.grad for p in model.parameters()]
opt.step()
opt.zero_grad(set_to_none=False)
for step in range(3):
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    if step < 2:
        opt.zero_grad(set_to_none=False)
grads_last = [p.grad for p in model.parameters()]
print("same grad tensors:", all(a is b for a, b in zip(grads_first, grads_last)))
print("first_row:", first_row)
print("weight[0]:", model.weight[0].detach())
print("bias_data:", bias_data)
print("w_np row 0:", w_np[0].round(4))
print("params[1] is bias:", params[1] is model.bias)
momentum = opt.state[model.weight]["momentum_buffer"]
print(momentum)
