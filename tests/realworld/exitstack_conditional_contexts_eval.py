import contextlib

import torch
import torch.nn as nn


def run_model(model, x, *, train, use_autocast=False):
    with contextlib.ExitStack() as stack:
        if not train:
            stack.enter_context(torch.no_grad())
        if use_autocast:
            stack.enter_context(torch.autocast("cpu", dtype=torch.bfloat16))
        return model(x)


torch.manual_seed(8)
model = nn.Sequential(nn.Linear(4, 6), nn.SiLU(), nn.Linear(6, 1))
x = torch.randn(5, 4)
target = torch.randn(5, 1)
pred_train = run_model(model, x, train=True)
pred_eval = run_model(model, x, train=False)
pred_bf16 = run_model(model, x, train=True, use_autocast=True)
print(pred_train.requires_grad, pred_eval.requires_grad, pred_bf16.dtype)
loss = nn.functional.mse_loss(pred_train, target) + 0.1 * nn.functional.mse_loss(pred_bf16.float(), target)
loss.backward()
print(f"{loss.item():.5f}")
for name, p in model.named_parameters():
    print(f"{name:<10} grad mean {p.grad.mean().item():+.5f}")
