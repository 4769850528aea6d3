import warnings
warnings.filterwarnings("ignore")
from torch.masked import masked_tensor
data = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
mask = torch.tensor([[True, False, True], [False, True, True]])
mt = masked_tensor(data, mask, requires_grad=True)
s = mt.sum()
print(s)
ref = data.clone().detach().requires_grad_()
plain = (ref * mask).sum()
plain.backward()
print(ref.grad)
