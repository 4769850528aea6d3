# Stack Overflow: "I saved the initial weights but after training they are equal to the trained ones?"
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(3, 2)
init_weight = model.weight.data          # shares storage!
init_bias = model.bias.detach()          # shares storage too
init_copy = model.weight.data.clone()    # the fix
first_row = model.weight[0]              # a view, with a grad_fn
w_np = model.weight.detach().numpy()     # numpy shares memory as well

opt = torch.optim.SGD(model.parameters(), lr=0.5)
x = torch.randn(8, 3)
for _ in range(3):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()

print(torch.equal(init_weight, model.weight))   # True: same memory
print(torch.equal(init_copy, model.weight))     # False
print(init_bias)
print(first_row)
print(w_np[0])
print((model.weight - init_copy).abs().sum())
