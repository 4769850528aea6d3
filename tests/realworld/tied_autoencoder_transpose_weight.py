import torch
import torch.nn as nn
import torch.nn.functional as F


class TiedAutoencoder(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.encoder = nn.Linear(n_in, n_hidden)
        self.decoder_bias = nn.Parameter(torch.zeros(n_in))

    def forward(self, x):
        h = torch.sigmoid(self.encoder(x))
        return F.linear(h, self.encoder.weight.t(), self.decoder_bias), h


torch.manual_seed(9)
ae = TiedAutoencoder(6, 3)
optimizer = torch.optim.SGD(ae.parameters(), lr=0.1, momentum=0.9)
data = torch.rand(5, 6)
for epoch in range(4):
    recon, code = ae(data)
    sparsity = code.mean(0)
    rho = 0.05
    kl = (rho * torch.log(rho / sparsity) + (1 - rho) * torch.log((1 - rho) / (1 - sparsity))).sum()
    loss = F.mse_loss(recon, data) + 1e-3 * kl
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"{loss.item():.6f}", ae.encoder.weight.grad.shape, ae.decoder_bias.grad)
