import torch

torch.manual_seed(31)
A = torch.randn(5, 3, requires_grad=True)
b = torch.randn(5, 2)
sol = torch.linalg.lstsq(A, b).solution
P = torch.linalg.pinv(A)
S = torch.randn(3, 3)
S = (S - S.T).requires_grad_()  # skew-symmetric: expm is a rotation
R = torch.linalg.matrix_exp(S)
sign, logabsdet = torch.linalg.slogdet(R)
loss = sol.pow(2).sum() + (P @ b).abs().sum() + (R @ R.T - torch.eye(3)).pow(2).sum() + logabsdet
loss.backward()
print(sign.item(), round(logabsdet.item(), 4))
print(A.grad)
print(S.grad)
