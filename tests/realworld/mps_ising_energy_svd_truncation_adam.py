# A matrix product state for a 4-site transverse-field Ising chain: energy by exact contraction, SVD truncation of the
# two-site tensor in the middle, trained with Adam (as in tensor-network tutorials).
torch.manual_seed(0)
n_sites, chi, d = 4, 2, 2
sx = torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
sz = torch.tensor([[1.0, 0.0], [0.0, -1.0]], dtype=torch.float64)
eye = torch.eye(2, dtype=torch.float64)


def kron_all(ops):
    out = ops[0]
    for op in ops[1:]:
        out = torch.kron(out, op)
    return out


H = sum(-kron_all([sz if k in (i, i + 1) else eye for k in range(n_sites)]) for i in range(n_sites - 1))
H = H + sum(-0.7 * kron_all([sx if k == i else eye for k in range(n_sites)]) for i in range(n_sites))
shapes = [(1, d, chi), (chi, d, chi), (chi, d, chi), (chi, d, 1)]
mps = nn.ParameterList([nn.Parameter(torch.randn(*s, dtype=torch.float64) * 0.5) for s in shapes])
opt = torch.optim.Adam(mps.parameters(), lr=0.1)


def state(tensors):
    psi = tensors[0]
    for t in tensors[1:]:
        psi = torch.einsum("...a,abc->...bc", psi, t)
    return psi.reshape(-1)


for step in range(6):
    opt.zero_grad()
    psi = state(list(mps))
    energy = psi @ H @ psi / (psi @ psi)
    energy.backward()
    opt.step()
    print(step, f"{energy.item():.6f}")
exact = torch.linalg.eigvalsh(H)[0]
two_site = torch.einsum("abc,cde->abde", mps[1], mps[2]).reshape(chi * d, d * chi)
U, S, Vh = torch.linalg.svd(two_site, full_matrices=False)
kept = S[:chi] / S[:chi].norm()
truncation_loss = 1 - kept.pow(2).sum() / S.pow(2).sum() * (S[:chi].norm() ** 2 / kept.pow(2).sum())
entropy = -(kept**2 * torch.log(kept**2)).sum()
entropy.backward()
print(f"exact {exact.item():.6f}", S.detach(), round(entropy.item(), 6))
print(mps[1].grad.abs().sum().item() > 0, U.shape, Vh.shape)
