"""Contractive autoencoder (Rifai et al. 2011): reconstruction loss + ||dh/dx||_F^2."""
from torch.autograd.functional import jacobian


class CAE(nn.Module):
    def __init__(self, d=4, h=3):
        super().__init__()
        self.enc = nn.Linear(d, h)
        self.dec = nn.Linear(h, d)

    def encode(self, x):
        return torch.sigmoid(self.enc(x))

    def forward(self, x):
        h = self.encode(x)
        return self.dec(h), h


def closed_form_penalty(model, h):
    # for a sigmoid encoder: sum_j (h_j (1 - h_j))^2 * sum_i W_ji^2
    dh = (h * (1 - h)) ** 2
    w_sq = (model.enc.weight ** 2).sum(dim=1)
    return (dh * w_sq).sum()


torch.manual_seed(11)
model = CAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
data = torch.rand(5, 4)
lam = 0.1

for it in range(3):
    recon, h = model(data)
    J = jacobian(model.encode, data[0], create_graph=True)
    penalty_autograd = J.pow(2).sum()
    penalty_formula = closed_form_penalty(model, h[:1])
    loss = F.mse_loss(recon, data) + lam * penalty_autograd
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"it {it}: J{tuple(J.shape)} penalty {penalty_autograd.item():.6f} formula {penalty_formula.item():.6f} loss {loss.item():.5f}")

print(torch.allclose(penalty_autograd, penalty_formula))
print(model.enc.weight.grad)
