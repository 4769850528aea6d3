# An error in the second line of a parenthesised with-header, after a default argument computed at def time
import torch
import torch.nn as nn

torch.manual_seed(54)


def evaluate(model, x, scale=torch.tensor([1.0, 2.0]).sum()):
    return model(x) * scale


model = nn.Linear(3, 1)
x = torch.randn(2, 3)
print(evaluate(model, x).shape)
with (
    torch.no_grad(),
    torch.autocast("cpu", dtype=torch.bfloat16, enabled=x.shape[1] == 3),
    torch.set_grad_enabled(model.weight.view(2, 2)),
):
    y = evaluate(model, x)
print(y)
