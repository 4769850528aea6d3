import torch
import torch.nn as nn


def kl_sparsity(rho, rho_hat):
    rho_hat = rho_hat.clamp(1e-6, 1 - 1e-6)
    return (rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()


torch.manual_seed(4)
enc, dec = nn.Linear(6, 4), nn.Linear(4, 6)
opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-2)
x = torch.rand(10, 6)
beta, rho = 3.0, 0.05
for it in range(3):
    code = torch.sigmoid(enc(x))
    recon = dec(code)
    rho_hat = code.mean(0)
    loss = nn.functional.mse_loss(recon, x) + beta * kl_sparsity(rho, rho_hat)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(rho_hat, enc.bias.grad)
